"""The prompt services one bot shares between its commands, buttons and the timer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.services.prompts import records as repo
from bot.services.prompts.bulk import PromptFiles
from bot.services.prompts.dispatch import PromptDueSource
from bot.services.prompts.library import PromptLibrary
from bot.services.prompts.manage import PromptSchedules
from bot.services.prompts.queue import PromptQueue
from cogs.prompts._poster import DiscordPoster

if TYPE_CHECKING:
    from bot.app import MutualBot

POSTS_KEPT = timedelta(days=90)


@dataclass
class PromptsFeature:
    bot: MutualBot
    source: PromptDueSource
    schedules: PromptSchedules
    library: PromptLibrary
    files: PromptFiles
    queue: PromptQueue

    @classmethod
    def build(cls, bot: MutualBot) -> PromptsFeature:
        source = PromptDueSource(
            bot.db,
            bot.content.prompts,
            DiscordPoster(bot),
            bot.sender.submit,
            grace=timedelta(hours=bot.settings.prompt_grace_hours),
            shards=bot.due_shards,
        )
        library = PromptLibrary(bot.db, bot.content, bot.hasher)
        return cls(
            bot,
            source,
            PromptSchedules(bot.db, bot.content, bot.clock, bot.dispatcher.rearm),
            library,
            PromptFiles(bot.db, library),
            PromptQueue(bot.db, bot.content),
        )

    async def prune(self) -> None:
        """Old claims are only needed to refuse a second post on the same day."""
        cutoff = self.bot.clock.now() - POSTS_KEPT
        await repo.prune_posts(self.bot.db, int(cutoff.timestamp()))


def feature_of(bot: MutualBot) -> PromptsFeature:
    feature = bot.prompts
    if feature is None:
        raise RuntimeError("the prompts feature is not loaded")
    return feature
