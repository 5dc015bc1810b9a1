"""/selfcheck history: the member's own saved results as trends, with deletion behind a confirm."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.errors import answer_first, report_error, update
from bot.i18n import _, ngettext
from bot.services.selfcheck import Trend, owner_tag
from bot.services.selfcheck.session import instrument_code
from cogs.selfcheck._charts import history_chart
from cogs.selfcheck._feature import SelfCheckFeature, feature_of
from cogs.selfcheck._flow import NOT_YOURS
from cogs.selfcheck._render import clip, history_embed

HISTORY_TEMPLATE = r"sch:(?P<owner>[0-9a-f]{8}):(?P<target>[0-9a-f]{6}|all):(?P<step>[ayn])"
Button = discord.ui.Button[Any]


class HistoryButton(discord.ui.DynamicItem[Button], template=HISTORY_TEMPLATE):
    """step a: ask to delete; y: yes, delete; n: keep (back to the history)."""

    def __init__(
        self,
        owner: str,
        target: str,
        step: str,
        *,
        label: str = "·",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"sch:{owner}:{target}:{step}")
        )
        self.owner, self.target, self.step = owner, target, step

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HistoryButton:
        return cls(match["owner"], match["target"], match["step"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await on_history_click(interaction, self.owner, self.target, self.step)
        except Exception as error:
            await report_error(interaction, error)


def history_view(owner: str, trends: list[Trend]) -> discord.ui.View | None:
    if not trends:
        return None
    view = discord.ui.View(timeout=None)
    for trend in trends[:4]:
        view.add_item(
            HistoryButton(
                owner,
                instrument_code(trend.instrument_id),
                "a",
                label=clip(_("Delete “{title}”").format(title=trend.title), 80),
            )
        )
    view.add_item(
        HistoryButton(owner, "all", "a", label=_("Delete all"), style=discord.ButtonStyle.danger)
    )
    return view


async def show_history(interaction: discord.Interaction[Any]) -> None:
    feature = feature_of(interaction.client)
    trends = await feature.history.trends(interaction.user.id)
    owner = owner_tag(feature.bot.hasher, interaction.user.id)
    view = history_view(owner, trends)
    chart = history_chart(trends)
    files = [] if chart is None else [chart]
    if view is None:
        await interaction.response.send_message(
            embed=history_embed(trends), files=files, ephemeral=True
        )
    else:
        await interaction.response.send_message(
            embed=history_embed(trends), view=view, files=files, ephemeral=True
        )


def _target(feature: SelfCheckFeature, target: str) -> tuple[str | None, str]:
    """(instrument id or None for all, the question asking to delete it)."""
    if target == "all":
        return None, _("Delete all your saved self-check results? This cannot be undone.")
    instrument = feature.instrument(target)
    question = _("Delete your saved results of “{title}”? This cannot be undone.")
    return instrument.id, question.format(title=instrument.title)


async def on_history_click(
    interaction: discord.Interaction[Any], owner: str, target: str, step: str
) -> None:
    feature = feature_of(interaction.client)
    if owner != owner_tag(feature.bot.hasher, interaction.user.id):
        await interaction.response.send_message(_(NOT_YOURS), ephemeral=True)
        return
    instrument_id, question = _target(feature, target)
    if step == "a":
        view = discord.ui.View(timeout=None)
        view.add_item(
            HistoryButton(
                owner, target, "y", label=_("Yes, delete"), style=discord.ButtonStyle.danger
            )
        )
        view.add_item(HistoryButton(owner, target, "n", label=_("Keep it")))
        await interaction.response.edit_message(content=question, embed=None, view=view)
        return
    await answer_first(interaction, update=True)
    if step == "y":
        removed = await feature.history.delete(interaction.user.id, instrument_id)
        note = (
            ngettext(
                "Deleted {count} saved result.", "Deleted {count} saved results.", removed
            ).format(count=removed)
            if removed
            else _("There was nothing left to delete.")
        )
    else:
        note = _("Nothing was deleted.")
    trends = await feature.history.trends(interaction.user.id)
    chart = history_chart(trends)
    await update(
        interaction,
        content=note,
        embed=history_embed(trends),
        view=history_view(owner, trends),
        attachments=[] if chart is None else [chart],
    )
