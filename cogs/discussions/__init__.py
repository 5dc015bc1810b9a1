"""Facilitated discussions with anonymous questions: /discuss and /ask."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.app import MutualBot
from bot.content import Excerpt
from bot.services.discussions import (
    AnonymousQuestions,
    DiscussionPersonalData,
    Discussions,
    DiscussionTimers,
)
from bot.services.prompts.model import PostedPrompt
from cogs._common import server_language
from cogs.discussions._commands import Discuss
from cogs.discussions._components import (
    AskButton,
    DiscussionServices,
    ReportButton,
    ReviewButton,
)
from cogs.discussions._platform import DiscordPlatform


def _attribution(bot: MutualBot) -> Callable[[Excerpt], str]:
    def attribution(excerpt: Excerpt) -> str:
        return bot.excerpts.attribution(excerpt)

    return attribution


def _latest_prompt(bot: MutualBot) -> Callable[[int], Awaitable[PostedPrompt | None]]:
    """Looked up on each use: the prompts feature may load after this one, or be reloaded."""

    async def latest(guild_id: int) -> PostedPrompt | None:
        prompts = bot.prompts
        return None if prompts is None else await prompts.schedules.latest_posted(guild_id)

    return latest


def _server_locale(bot: MutualBot) -> Callable[[int], Awaitable[str]]:
    async def language(guild_id: int) -> str:
        return await server_language(bot, bot.db, guild_id)

    return language


async def setup(bot: MutualBot) -> None:
    platform = DiscordPlatform(bot)
    discussions = Discussions(
        bot.db,
        lambda: bot.content,  # the current language's, looked up on each use
        bot.clock,
        platform,
        attribution=_attribution(bot),
        on_schedule_change=bot.dispatcher.rearm,
        latest_prompt=_latest_prompt(bot),
        server_locale=_server_locale(bot),
    )
    questions = AnonymousQuestions(
        bot.db, bot.clock, bot.hasher, platform, server_locale=_server_locale(bot)
    )
    services = DiscussionServices(discussions, questions)
    bot.discussions = services
    timers = DiscussionTimers(
        discussions, bot.db, bot.sender.submit, questions, shards=bot.due_shards
    )
    await timers.note_interrupted()
    bot.dispatcher.add_source(timers)
    bot.personal_data.register(DiscussionPersonalData(bot.db, bot.hasher))
    bot.add_dynamic_items(AskButton, ReviewButton, ReportButton)
    await bot.add_cog(Discuss(bot, services))
