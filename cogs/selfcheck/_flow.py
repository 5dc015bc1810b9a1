"""The question flow: its screens and their buttons. Each button's custom id carries the whole
session, so any click (double, late, after a restart) is answered from the id alone."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.content.model import ANSWER_LABELS, Instrument
from bot.direct_clicks import Button, ButtonRows, Handler
from bot.errors import UserFacingError, answer_first, report_error, update
from bot.i18n import N_, _
from bot.services.selfcheck import (
    Expired,
    Finished,
    Intro,
    Question,
    Screen,
    Session,
    SessionError,
    Stopped,
    advance,
    owner_tag,
)
from bot.services.selfcheck.session import (
    SAVE_TEMPLATE,
    SESSION_TEMPLATE,
    decode_scores,
    save_custom_id,
    save_from_parts,
    session_from_parts,
)
from cogs._common import safety_embed
from cogs.selfcheck._feature import SelfCheckFeature, feature_of
from cogs.selfcheck._render import (
    EMBED_TOTAL,
    expired_embed,
    intro_embed,
    learn_more_embed,
    question_embed,
    result_embed,
    stopped_embed,
)

log = logging.getLogger(__name__)

NOT_YOURS = N_(
    "This check belongs to someone else, so your click did not change it. You can start your own "
    "with `/selfcheck start`."
)
GONE = N_("This self-check is no longer available. `/selfcheck start` shows the current ones.")
SAFETY_NOTE = N_("Thank you for answering honestly. This matters more than any question here.")
SAVE = N_("Save to my private history")
SAVED = N_("Saved to your private history")
LEARN_MORE_TEMPLATE = r"scl:(?P<code>[0-9a-f]{6})"
Style = discord.ButtonStyle


def flow_button(
    session: Session, action: str, label: str, style: Style = Style.secondary
) -> Button:
    return Button(label, session.custom_id(action), style)


def save_button(custom_id: str, *, saved: bool, disabled: bool) -> Button:
    return Button(_(SAVED) if saved else _(SAVE), custom_id, Style.success, disabled)


def learn_more_button(code: str) -> Button:
    """Opens the instrument's learn-more text in a message of its own, from any result."""
    return Button(_("Learn more"), f"scl:{code}")


async def on_flow_route(interaction: discord.Interaction[Any], match: re.Match[str]) -> None:
    """A question-flow button: the whole session is in its custom id."""
    session, action = session_from_parts(match.groupdict())
    try:
        await on_flow_click(interaction, session, action)
    except Exception as error:
        await report_error(interaction, error)


async def on_save_route(interaction: discord.Interaction[Any], match: re.Match[str]) -> None:
    try:
        await on_save_click(interaction, match.groupdict())
    except Exception as error:
        await report_error(interaction, error)


async def on_learn_more_route(interaction: discord.Interaction[Any], match: re.Match[str]) -> None:
    try:
        feature = feature_of(interaction.client)
        try:
            instrument = feature.instrument(match["code"])
        except SessionError:
            raise UserFacingError(_(GONE)) from None
        await interaction.response.send_message(embed=learn_more_embed(instrument), ephemeral=True)
    except Exception as error:
        await report_error(interaction, error)


ROUTES: tuple[tuple[str, Handler], ...] = (
    (SESSION_TEMPLATE, on_flow_route),
    (SAVE_TEMPLATE, on_save_route),
    (LEARN_MORE_TEMPLATE, on_learn_more_route),
)
"""The flow's buttons, answered from their custom ids (`bot.direct_clicks`), so any click
(double, late, after a restart) is answered from the id alone."""


def intro_view(session: Session) -> ButtonRows:
    return ButtonRows(
        [
            [
                flow_button(session, "g", _("Begin"), Style.primary),
                flow_button(session, "x", _("Not now")),
            ]
        ]
    )


def question_view(question: Question) -> ButtonRows:
    session = question.session
    answers = [
        flow_button(
            session,
            str(value),
            _(label),
            Style.primary if question.previous == value else Style.secondary,
        )
        for value, label in enumerate(ANSWER_LABELS)
    ]
    moves = [
        flow_button(session, "b", _("Back")),
        flow_button(session, "s", _("Skip")),
        flow_button(session, "x", _("Stop"), Style.danger),
    ]
    return ButtonRows([answers, moves])


def result_view(
    session: Session, instrument: Instrument, scores: dict[str, int], *, saved: bool = False
) -> ButtonRows:
    save = save_button(
        save_custom_id(session, instrument, scores), saved=saved, disabled=saved or not scores
    )
    return ButtonRows(
        [
            [
                save,
                flow_button(session, "b", _("Change my last answer")),
                flow_button(session, "r", _("Start again")),
            ],
            [learn_more_button(session.code)],
        ]
    )


async def start(interaction: discord.Interaction[Any], instrument: Instrument) -> None:
    """The first screen of a new check, sent as a new ephemeral message."""
    feature = feature_of(interaction.client)
    session = Session.new(
        instrument, feature.bot.clock.now(), owner_tag(feature.bot.hasher, interaction.user.id)
    )
    await interaction.response.send_message(
        embed=intro_embed(instrument), view=intro_view(session), ephemeral=True
    )


async def on_flow_click(
    interaction: discord.Interaction[Any], session: Session, action: str
) -> None:
    feature = feature_of(interaction.client)
    if session.owner != owner_tag(feature.bot.hasher, interaction.user.id):
        await interaction.response.send_message(_(NOT_YOURS), ephemeral=True)
        return
    try:
        instrument = feature.instrument(session.code)
    except SessionError:
        await interaction.response.edit_message(content=_(GONE), embed=None, view=None)
        return
    screen = advance(session, action, instrument, feature.bot.clock.now())
    await show(interaction, feature, screen)


async def show(
    interaction: discord.Interaction[Any], feature: SelfCheckFeature, screen: Screen
) -> None:
    respond = interaction.response.edit_message
    if isinstance(screen, Intro):
        await respond(
            content=None, embed=intro_embed(screen.instrument), view=intro_view(screen.session)
        )
    elif isinstance(screen, Question):
        await respond(content=None, embed=question_embed(screen), view=question_view(screen))
    elif isinstance(screen, Stopped):
        await respond(content=None, embed=stopped_embed(screen.instrument), view=None)
    elif isinstance(screen, Expired):
        restart = flow_button(screen.session, "r", _("Start again"), Style.primary)
        await respond(
            content=None, embed=expired_embed(screen.instrument), view=ButtonRows([[restart]])
        )
    elif isinstance(screen, Finished):
        await show_result(interaction, feature, screen)
        return
    if isinstance(screen, Question) and screen.safety_now:
        kinds = (screen.safety_now,)
        support = safety_embed(
            feature.safety_kinds(kinds), await feature.resources(interaction.guild_id, kinds)
        )
        await interaction.followup.send(_(SAFETY_NOTE), embed=support, ephemeral=True)


async def show_result(
    interaction: discord.Interaction[Any], feature: SelfCheckFeature, screen: Finished
) -> None:
    result = screen.result
    # Which check and where, never who or what was answered.
    log.debug("Self-check %s finished (guild %s)", screen.instrument.id, interaction.guild_id)
    # A safety answer opens the result: its note and lines come before any reading.
    embeds: list[discord.Embed] = []
    if result.safety:
        kinds = result.safety_kinds
        resources = await feature.resources(interaction.guild_id, kinds)
        embeds.append(safety_embed(feature.safety_kinds(kinds), resources))
    budget = EMBED_TOTAL - sum(len(e) for e in embeds)
    excerpts = await feature.related_excerpts(result.topics, 2, interaction.guild_id)
    embeds.append(result_embed(result, excerpts, budget=budget))
    await interaction.response.edit_message(
        content=None,
        embeds=embeds,
        view=result_view(screen.session, screen.instrument, result.scores),
    )
    # Only servers that installed Mutual are counted (not a user-installed use elsewhere).
    guild = feature.bot.get_guild(interaction.guild_id or 0)
    if guild is not None and result.scores:
        # Counted after answering, so the member never waits on (or hears about) the count.
        try:
            await feature.insights.record(
                guild.id,
                screen.instrument.id,
                feature.bot.clock.now().date(),
                result.scores,
                session_key=f"{screen.session.code}:{screen.session.started}:{screen.session.owner}",
            )
        except Exception:
            log.exception("Could not count a self-check in guild %s", guild.id)


async def on_save_click(interaction: discord.Interaction[Any], parts: dict[str, str]) -> None:
    feature = feature_of(interaction.client)
    session, packed = save_from_parts(parts)
    if session.owner != owner_tag(feature.bot.hasher, interaction.user.id):
        await interaction.response.send_message(_(NOT_YOURS), ephemeral=True)
        return
    try:
        instrument = feature.instrument(session.code)
        scores = decode_scores(instrument, packed)
    except SessionError:
        raise UserFacingError(_(GONE)) from None
    if not scores:
        raise UserFacingError(_("There is nothing to save: every statement was skipped."))
    await answer_first(interaction, update=True)
    stored = await feature.history.save(interaction.user.id, session, instrument, scores)
    log.debug("Self-check %s result %s", instrument.id, "saved" if stored else "already saved")
    content = (
        _(
            "Saved to your private history. See how things change over time with "
            "`/selfcheck history`."
        )
        if stored
        else _("This result is already in your private history.")
    )
    await update(
        interaction, content=content, view=result_view(session, instrument, scores, saved=True)
    )
