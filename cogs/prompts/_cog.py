"""The prompts cog: the /prompts group assembled from its command modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from cogs.prompts._group import PROMPTS
from cogs.prompts._schedule import ScheduleCommands

if TYPE_CHECKING:
    from bot.app import MutualBot


class Prompts(ScheduleCommands, commands.Cog):
    prompts = PROMPTS

    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot
