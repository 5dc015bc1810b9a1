"""/resources: help lines for everyone, the server's own first."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import MutualBot
from bot.services.resources import resources_for
from cogs._common import resources_embed


class Resources(commands.Cog):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    @app_commands.command(name="resources", description="Places to turn to for support")
    async def resources(self, interaction: discord.Interaction) -> None:
        found = await resources_for(self.bot.db, self.bot.content, interaction.guild_id)
        await interaction.response.send_message(embed=resources_embed(found), ephemeral=True)


async def setup(bot: MutualBot) -> None:
    await bot.add_cog(Resources(bot))
