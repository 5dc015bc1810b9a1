"""Facilitated discussions with anonymous questions: /discuss and /ask."""

from __future__ import annotations

from bot.app import MutualBot
from bot.content import Excerpt
from bot.services.discussions import (
    AnonymousQuestions,
    DiscussionPersonalData,
    Discussions,
    DiscussionTimers,
)
from cogs.discussions._commands import Discuss
from cogs.discussions._components import AskButton, DiscussionServices, ReviewButton
from cogs.discussions._platform import DiscordPlatform


def _attribution(bot: MutualBot):  # type: ignore[no-untyped-def]
    def attribution(excerpt: Excerpt) -> str:
        try:
            from bot.services.excerpts import ExcerptLibrary
        except ImportError:
            library = None
        else:
            library = bot.service(ExcerptLibrary)
        if library is not None:
            return library.attribution(excerpt)
        source = bot.content.sources.get(excerpt.source)
        return source.attribution if source else ""

    return attribution


async def setup(bot: MutualBot) -> None:
    platform = DiscordPlatform(bot)
    discussions = Discussions(
        bot.db,
        bot.content,
        bot.clock,
        platform,
        attribution=_attribution(bot),
        on_schedule_change=bot.dispatcher.rearm,
    )
    questions = AnonymousQuestions(bot.db, bot.clock, bot.hasher, platform)
    services = DiscussionServices(discussions, questions)
    bot.provide(DiscussionServices, services)
    bot.dispatcher.add_source(DiscussionTimers(discussions, bot.db, bot.sender.submit))
    bot.personal_data.register(DiscussionPersonalData(bot.db, bot.hasher))
    bot.add_dynamic_items(AskButton, ReviewButton)
    await bot.add_cog(Discuss(bot, services))
