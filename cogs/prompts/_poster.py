"""Putting a prompt in a channel through Discord, and turning Discord's answers into reasons.

Sends go through partial objects (no cache needed: this also works during start-up, before the
gateway is ready). 404 and 403 become `ChannelGone` / `MissingAccess` naming the permission;
429 and 5xx that outlast discord.py's own retries become `TemporaryFailure`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import aiohttp
import discord

from bot.i18n import N_, locale_scope
from bot.services.prompts import records as repo
from bot.services.prompts.model import (
    ChannelGone,
    MissingAccess,
    PostError,
    PostJob,
    TemporaryFailure,
)
from bot.services.prompts.pauses import shown_notice
from bot.services.prompts.records import ping_role
from bot.services.server_settings import get_settings
from cogs._common import server_language
from cogs.prompts._render import (
    NO_MENTIONS,
    ShownExcerpt,
    is_post_of,
    prompt_embed,
    thread_name,
    warning_line,
)

if TYPE_CHECKING:
    from bot.app import MutualBot
from bot.services.exclusions import exclusions_for

log = logging.getLogger(__name__)

THREAD_ALREADY_EXISTS = 160004
ARCHIVE_AFTER_MINUTES: Literal[1440] = 1440
HISTORY_LOOKED_AT = 50


def missing_permission(
    channel: Any, me: discord.Member | None, *, thread: bool = False, pin: bool = False
) -> str | None:
    """The first permission the bot lacks to post there, as Discord names it in English, or
    None. The name is marked for the catalogs: show it with `_()`; it is stored as it is."""
    if me is None or not hasattr(channel, "permissions_for"):
        return None
    perms = channel.permissions_for(me)
    in_thread = isinstance(channel, discord.Thread)
    needed = [
        ("view_channel", N_("View Channel")),
        ("send_messages_in_threads" if in_thread else "send_messages",
         N_("Send Messages in Threads") if in_thread else N_("Send Messages")),
        ("embed_links", N_("Embed Links")),
    ]  # fmt: skip
    if thread:
        needed += [("create_public_threads", N_("Create Public Threads"))]
    if pin:
        needed += [
            ("pin_messages", N_("Pin Messages")),
            ("read_message_history", N_("Read Message History")),
        ]
    return next((label for attr, label in needed if not getattr(perms, attr, True)), None)


class DiscordPoster:
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    async def _excerpt(self, job: PostJob) -> ShownExcerpt | None:
        """The day's excerpt, if the schedule asks for one. The server's exclusions apply; a
        noted excerpt goes behind its note like the prompt."""
        if not job.with_excerpt:
            return None
        library = self.bot.excerpts
        try:
            exclusions = await exclusions_for(self.bot.db, job.guild_id)
            excerpt = library.excerpt_of_the_day(job.guild_id, job.local_date, exclusions)
            if excerpt is None:
                return None
            return ShownExcerpt(
                str(excerpt.text), str(library.attribution(excerpt)), library.note(excerpt)
            )
        except Exception:
            log.exception(
                "Excerpt of the day failed for guild %s; posting without it", job.guild_id
            )
            return None

    def _reason(self, job: PostJob) -> str:
        guild = self.bot.get_guild(job.guild_id)
        channel = guild.get_channel_or_thread(job.channel_id) if guild else None
        found = missing_permission(channel, guild.me if guild else None) if channel else None
        return found or N_("Send Messages")

    @asynccontextmanager
    async def _speaking(self, job: PostJob, permission: str | None = None) -> AsyncIterator[None]:
        """Discord's answers as the reasons the dispatcher acts on."""
        try:
            yield
        except discord.NotFound as error:
            raise ChannelGone(str(error)) from error
        except discord.Forbidden as error:
            raise MissingAccess(permission or self._reason(job)) from error
        except discord.HTTPException as error:
            if error.status == 429 or error.status >= 500:
                raise TemporaryFailure(f"HTTP {error.status}") from error
            raise PostError(f"HTTP {error.status} {error.code}") from error
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise TemporaryFailure(type(error).__name__) from error

    async def post(self, job: PostJob) -> int:
        """The post is public: it speaks the server's language, whoever set it up."""
        channel = self.bot.get_partial_messageable(job.channel_id, guild_id=job.guild_id)
        locale = await server_language(self.bot, self.bot.db, job.guild_id)
        with locale_scope(locale):
            content = self.bot.content
            warning = warning_line(job.prompt, content)
            embed = prompt_embed(
                job.prompt,
                content,
                excerpt=await self._excerpt(job),
                day=job.local_date,
                schedule=job.schedule_name,
            )
        role_id = await ping_role(self.bot.db, job.guild_id)
        mentions = NO_MENTIONS
        if role_id is not None:
            # The chosen role and nothing else: a member's words in a prompt never ping anyone.
            warning = "\n".join(filter(None, (f"<@&{role_id}>", warning)))
            mentions = discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False
            )
        async with self._speaking(job):
            message = await channel.send(
                content=warning, embed=embed, nonce=job.nonce, allowed_mentions=mentions
            )
        await self._extras(job, message, locale)
        return message.id

    async def find_posted(self, job: PostJob, since: datetime) -> int | None:
        """Our own message marked with the job's day, among the first ones after `since`.

        A found post gets its thread and pin too: the crash may have come before them.
        """
        me = self.bot.user
        if me is None:
            raise TemporaryFailure("not logged in yet")
        channel = self.bot.get_partial_messageable(job.channel_id, guild_id=job.guild_id)
        async with self._speaking(job, N_("Read Message History")):
            async for message in channel.history(limit=HISTORY_LOOKED_AT, after=since):
                if message.author.id == me.id and is_post_of(
                    message, job.local_date, job.schedule_name
                ):
                    break
            else:
                return None
        locale = await server_language(self.bot, self.bot.db, job.guild_id)
        await self._extras(job, message, locale)
        return message.id

    async def _extras(self, job: PostJob, message: discord.Message, locale: str) -> None:
        """Thread and pin are extras: the prompt is up even if they fail, so never raise.

        Each is one more request against Discord's global limit, so each takes its own turn
        from the sender's pacer (the send itself took the job's turn).
        """
        if job.use_thread:
            with locale_scope(locale):
                name = thread_name(job.local_date, job.prompt, self.bot.content)
            await self.bot.sender.pacer.acquire()
            try:
                await message.create_thread(name=name, auto_archive_duration=ARCHIVE_AFTER_MINUTES)
            except discord.HTTPException as error:
                if error.code != THREAD_ALREADY_EXISTS:  # a re-send after a crash
                    log.warning("No thread for guild %s's prompt: %s", job.guild_id, error)
        if job.pin:
            await self.bot.sender.pacer.acquire()
            try:
                await message.pin()
            except discord.HTTPException as error:
                log.warning("Could not pin guild %s's prompt: %s", job.guild_id, error)
            else:
                await self._unpin_earlier(job, message.id)

    async def _unpin_earlier(self, job: PostJob, pinned_id: int) -> None:
        """Only the schedule's day's prompt stays pinned (another schedule's stays): Discord caps a channel's pins, and yesterday's
        prompt at the top would be read as today's. Never raises, like the other extras."""
        for post in await repo.recent_sent_posts(self.bot.db, job.guild_id, 1, job.schedule_name):
            if post.message_id is None or post.message_id == pinned_id:
                continue
            channel = self.bot.get_partial_messageable(post.channel_id, guild_id=job.guild_id)
            await self.bot.sender.pacer.acquire()
            try:
                await channel.get_partial_message(post.message_id).unpin()
            except discord.HTTPException as error:
                log.info("Could not unpin guild %s's earlier prompt: %s", job.guild_id, error)

    async def notify(self, guild_id: int, text: str) -> None:
        """`text` comes in English, as stored; the log channel reads the server's language."""
        settings = await get_settings(self.bot.db, guild_id)
        if settings.log_channel_id is None:
            return
        with locale_scope(await server_language(self.bot, self.bot.db, guild_id)):
            shown = shown_notice(text)
        channel = self.bot.get_partial_messageable(settings.log_channel_id, guild_id=guild_id)
        await channel.send(shown[:2000], allowed_mentions=NO_MENTIONS)
