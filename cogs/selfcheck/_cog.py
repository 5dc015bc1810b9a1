"""/selfcheck start | history | insights. Thin: parse, call the services, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import facilitator_only
from bot.content.model import Instrument
from bot.errors import SERVER_ONLY, UserFacingError
from bot.i18n import _
from bot.services.selfcheck import MIN_CELL
from cogs.selfcheck._charts import insights_chart
from cogs.selfcheck._feature import feature_of
from cogs.selfcheck._flow import start
from cogs.selfcheck._history import show_history
from cogs.selfcheck._render import insights_embed

if TYPE_CHECKING:
    from bot.app import MutualBot


class SelfCheck(commands.Cog):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    async def cog_unload(self) -> None:
        from cogs.selfcheck._flow import ROUTES
        from cogs.selfcheck._history import HistoryButton

        for template, _handler in ROUTES:
            self.bot.direct_clicks.remove(template)
        self.bot.remove_dynamic_items(HistoryButton)
        self.bot.personal_data.unregister(feature_of(self.bot).history.feature)

    group = app_commands.Group(
        name="selfcheck",
        description="Private reflective check-ins about your relationships",
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=True, private_channel=True
        ),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
    )

    def _instrument(self, value: str) -> Instrument:
        instruments = self.bot.content.instruments
        found = instruments.get(value) or next(
            (i for i in instruments.values() if i.title.casefold() == value.casefold()), None
        )
        if found is None:
            raise UserFacingError(
                _("I don't know that self-check. Please pick one of the suggestions as you type.")
            )
        return found

    @group.command(name="start", description="Begin a private self-check (only you see it)")
    @app_commands.describe(instrument="Which self-check to take")
    async def start(self, interaction: discord.Interaction[Any], instrument: str) -> None:
        await start(interaction, self._instrument(instrument))

    @start.autocomplete("instrument")
    async def instrument_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold().strip()
        return [
            app_commands.Choice(name=instrument.title[:100], value=instrument.id)
            for instrument in sorted(self.bot.content.instruments.values(), key=lambda i: i.title)
            if needle in instrument.title.casefold() or needle in instrument.id
        ][:25]

    @group.command(name="history", description="Your saved self-check results over time")
    async def history(self, interaction: discord.Interaction[Any]) -> None:
        await show_history(interaction)

    # A command of its own, not under /selfcheck: Discord hides commands from members by
    # default permission per top-level command only.
    @app_commands.command(
        name="insights", description="For moderators: anonymous weekly self-check counts"
    )
    @app_commands.describe(weeks="How many recent weeks to show (1 to 12)")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @facilitator_only()
    async def insights(
        self,
        interaction: discord.Interaction[Any],
        weeks: app_commands.Range[int, 1, 12] = 4,
    ) -> None:
        if interaction.guild_id is None:
            raise UserFacingError(_(SERVER_ONLY))
        feature = feature_of(self.bot)
        found = await feature.insights.weekly(
            interaction.guild_id, self.bot.clock.now().date(), weeks
        )
        chart = insights_chart(found)
        await interaction.response.send_message(
            embed=insights_embed(found, weeks, MIN_CELL),
            ephemeral=True,
            files=[] if chart is None else [chart],
        )
