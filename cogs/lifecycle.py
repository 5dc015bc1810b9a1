"""A server's data outlives the bot's removal only for the retention period.

Leaving starts the count, coming back stops it, and a daily job deletes what has run out and
prunes saved history past its retention (bot/services/lifecycle.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord
from discord.ext import commands

from bot.app import MutualBot

log = logging.getLogger(__name__)


class Lifecycle(commands.Cog):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.bot.lifecycle.server_left(guild.id)
        log.info(
            "Removed from a server; its data is deleted in %d day(s) unless Mutual is added back",
            self.bot.settings.guild_retention_days,
        )

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.bot.lifecycle.server_joined(guild.id)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """Also at start-up: a server that added the bot back while it was offline."""
        await self.bot.lifecycle.server_joined(guild.id)


async def setup(bot: MutualBot) -> None:
    bot.dispatcher.add_housekeeping("data-lifecycle", bot.lifecycle.daily, timedelta(hours=24))
    await bot.add_cog(Lifecycle(bot))
