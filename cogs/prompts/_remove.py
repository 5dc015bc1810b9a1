"""The confirmation button of /prompts remove-schedule. A DynamicItem whose custom id carries the
schedule's name, so a confirmation still works after a restart (and a stale one says so)."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.checks import is_facilitator, needed_role_text
from bot.errors import answer_first, report_error, send_ephemeral, update
from bot.i18n import _
from cogs.prompts._feature import feature_of
from cogs.prompts._group import kindly
from cogs.prompts._render import NO_MENTIONS


class RemoveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mutual:prompt-remove:(?P<name>[\w-]{1,32})",
):
    def __init__(self, name: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=_("Remove this schedule"),
                style=discord.ButtonStyle.danger,
                custom_id=f"mutual:prompt-remove:{name}",
            )
        )
        self.name = name

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RemoveButton:
        return cls(match["name"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.guild_id is None or not await is_facilitator(interaction):
                await send_ephemeral(interaction, await needed_role_text(interaction))
                return
            feature = feature_of(interaction.client)
            await answer_first(interaction, update=True)
            removed = await kindly(feature.schedules.remove(interaction.guild_id, self.name))
            text = (
                _("The schedule “{name}” is removed.").format(name=self.name)
                if removed
                else _("The schedule “{name}” was already gone.").format(name=self.name)
            )
            await update(interaction, content=text, view=None, allowed_mentions=NO_MENTIONS)
        except Exception as error:
            await report_error(interaction, error)
