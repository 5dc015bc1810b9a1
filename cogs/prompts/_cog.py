"""The prompts cog: the /prompts group assembled from its command modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from cogs.prompts._bulk import BulkCommands
from cogs.prompts._group import PROMPTS
from cogs.prompts._library import LibraryCommands
from cogs.prompts._queue import QueueCommands
from cogs.prompts._schedule import ScheduleCommands

if TYPE_CHECKING:
    from bot.app import MutualBot


class Prompts(ScheduleCommands, LibraryCommands, BulkCommands, QueueCommands, commands.Cog):
    prompts = PROMPTS

    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    async def cog_unload(self) -> None:
        from cogs.prompts._components import DYNAMIC_ITEMS
        from cogs.prompts._feature import feature_of

        feature = feature_of(self.bot)
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.personal_data.unregister(feature.library.feature)
        await feature.source.close()
