"""/resources: help lines for everyone, the server's own first, then a country's."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import MutualBot
from bot.i18n import N_, _
from bot.services.resources import find_country, resources_for
from cogs._common import country_options, resources_embed

UNKNOWN_COUNTRY = N_(
    "I don't have help lines for “{typed}” yet, so here are the international ones. "
    "Pick a country from the suggestions to see its lines."
)


class Resources(commands.Cog):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    @app_commands.command(name="resources", description="Places to turn to for support")
    @app_commands.describe(
        country="See the help lines of another country (only you see the answer)"
    )
    async def resources(self, interaction: discord.Interaction, country: str | None = None) -> None:
        chosen = find_country(self.bot.content, country)
        found = await resources_for(
            self.bot.db,
            self.bot.content,
            interaction.guild_id,
            country=chosen.code if chosen else None,
        )
        content = _(UNKNOWN_COUNTRY).format(typed=country[:40]) if country and not chosen else None
        await interaction.response.send_message(
            content, embed=resources_embed(found), ephemeral=True
        )

    @resources.autocomplete("country")
    async def country_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return country_options(self.bot.content, current)


async def setup(bot: MutualBot) -> None:
    await bot.add_cog(Resources(bot))
