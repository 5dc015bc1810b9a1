"""Buttons and the question modal. Buttons are DynamicItems whose custom ids carry the ids they
act on, so they keep working after a restart without any stored view state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import is_facilitator, needed_role_text
from bot.errors import (
    MutualModal,
    MutualView,
    UserFacingError,
    report_error,
    send_ephemeral,
)
from bot.i18n import N_, _
from bot.i18n.numbers import number
from bot.services.discussions import (
    MAX_QUESTION_CHARS,
    AnonymousQuestions,
    Asked,
    Discussions,
    TooLong,
)
from bot.services.discussions.pseudonyms import shown

if TYPE_CHECKING:
    from bot.app import MutualBot

MODAL_MAX = 4000  # Discord's limit for a text input; longer than a relay, so we can explain
ASK_ANONYMOUSLY = N_("Ask anonymously")
REPORT = N_("Report")
EDIT_AGAIN = N_("Edit and send again")


@dataclass(frozen=True)
class DiscussionServices:
    discussions: Discussions
    questions: AnonymousQuestions


def services_of(interaction: discord.Interaction[Any]) -> DiscussionServices:
    bot: MutualBot = interaction.client
    found = bot.discussions
    if found is None:
        raise RuntimeError("the discussions extension is not loaded")
    return found


def asked_message(asked: Asked) -> str:
    if asked.status == "relayed":
        text = _(
            "Sent to {thread} as **{pseudonym}**. Only you know it was you; you'll keep this "
            "name for the rest of this discussion."
        )
    else:
        text = _(
            "Thank you. A facilitator reads anonymous questions first; if it's approved, it "
            "appears in {thread} as **{pseudonym}**. No one, facilitators included, can see who "
            "asked."
        )
    return text.format(thread=f"<#{asked.thread_id}>", pseudonym=shown(asked.pseudonym))


class AskModal(MutualModal):
    def __init__(self, discussion_id: int, *, draft: str | None = None) -> None:
        super().__init__(title=_(ASK_ANONYMOUSLY), timeout=900)
        self.discussion_id = discussion_id
        self.question: discord.ui.TextInput[AskModal] = discord.ui.TextInput(
            # Translators: at most 45 characters.
            label=_("Your question (up to {limit} characters)").format(
                limit=number(MAX_QUESTION_CHARS)
            ),
            style=discord.TextStyle.paragraph,
            placeholder=_("It's posted under a pseudonym; your name is never shown or stored."),
            max_length=MODAL_MAX,
            default=draft,
            custom_id="question",
        )
        self.add_item(self.question)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.guild_id is None:
            raise UserFacingError(_("Anonymous questions work inside a server."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            asked = await services_of(interaction).questions.ask(
                interaction.guild_id, interaction.user.id, self.discussion_id, self.question.value
            )
        except TooLong as problem:
            await interaction.followup.send(
                str(problem), view=RetryView(self.discussion_id, problem.text), ephemeral=True
            )
            return
        await interaction.followup.send(asked_message(asked), ephemeral=True)


class RetryView(MutualView):
    """Holds an over-long draft in memory (never stored) so the member can shorten it."""

    def __init__(self, discussion_id: int, draft: str) -> None:
        super().__init__(timeout=900)
        self.discussion_id = discussion_id
        self.draft = draft[:MODAL_MAX]
        self.again.label = _(EDIT_AGAIN)

    @discord.ui.button(label=EDIT_AGAIN, style=discord.ButtonStyle.primary)
    async def again(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[RetryView]
    ) -> None:
        await interaction.response.send_modal(AskModal(self.discussion_id, draft=self.draft))


async def open_ask_modal(interaction: discord.Interaction[Any], discussion_id: int | None) -> None:
    """Refuse what can be refused before the member types (turned off, blocked, nothing open)."""
    if interaction.guild_id is None:
        raise UserFacingError(_("Anonymous questions work inside a server."))
    thread_id = interaction.channel_id if isinstance(interaction.channel, discord.Thread) else None
    row = await services_of(interaction).questions.precheck(
        interaction.guild_id,
        interaction.user.id,
        thread_id=thread_id,
        discussion_id=discussion_id,
    )
    await interaction.response.send_modal(AskModal(row.id))


class AskButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mutual:ask:(?P<discussion>\d{1,18})",
):
    def __init__(self, discussion_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=_(ASK_ANONYMOUSLY),
                style=discord.ButtonStyle.secondary,
                custom_id=f"mutual:ask:{discussion_id}",
            )
        )
        self.discussion_id = discussion_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AskButton:
        return cls(int(match["discussion"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await open_ask_modal(interaction, self.discussion_id)
        except Exception as error:
            await report_error(interaction, error)


REVIEW_LABELS = {
    "approve": N_("Approve"),
    "reject": N_("Don't relay"),
    "block": N_("Don't relay and block"),
}
REVIEW_STYLES = {
    "approve": discord.ButtonStyle.success,
    "reject": discord.ButtonStyle.secondary,
    "block": discord.ButtonStyle.danger,
}


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mutual:review:(?P<action>approve|reject|block):(?P<question>\d{1,18})",
):
    def __init__(self, action: str, question_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=_(REVIEW_LABELS[action]),
                style=REVIEW_STYLES[action],
                custom_id=f"mutual:review:{action}:{question_id}",
            )
        )
        self.action = action
        self.question_id = question_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReviewButton:
        return cls(match["action"], int(match["question"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.guild_id is None:
                return
            if not await is_facilitator(interaction):
                await send_ephemeral(interaction, await needed_role_text(interaction))
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            questions = services_of(interaction).questions
            if self.action == "approve":
                decided = await questions.approve(interaction.guild_id, self.question_id)
            else:
                decided = await questions.reject(
                    interaction.guild_id, self.question_id, block=self.action == "block"
                )
            await interaction.followup.send(decided.outcome, ephemeral=True)
        except Exception as error:
            await report_error(interaction, error)


class ReportButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mutual:report:(?P<question>\d{1,18})",
):
    """On each relayed question: any member can flag it to the moderators, anonymously."""

    def __init__(self, question_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=_(REPORT),
                style=discord.ButtonStyle.secondary,
                custom_id=f"mutual:report:{question_id}",
            )
        )
        self.question_id = question_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReportButton:
        return cls(int(match["question"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.guild_id is None:
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            # The stored text is dropped once relayed: what members saw is the message itself.
            relayed = interaction.message.content if interaction.message else ""
            text = relayed.split("\n", 1)[1] if "\n" in relayed else relayed
            await services_of(interaction).questions.report(
                interaction.guild_id, interaction.user.id, self.question_id, text
            )
            await interaction.followup.send(
                _(
                    "Thank you for letting the moderators know. They'll take a look. No one, "
                    "moderators included, can see that it was you who reported it."
                ),
                ephemeral=True,
            )
        except Exception as error:
            await report_error(interaction, error)


def report_view(question_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(question_id))
    return view


def ask_view(discussion_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AskButton(discussion_id))
    return view


def review_view(question_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ("approve", "reject", "block"):
        view.add_item(ReviewButton(action, question_id))
    return view
