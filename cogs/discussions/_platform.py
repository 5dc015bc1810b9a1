"""Every Discord call the discussion services make, with permission problems put kindly.

Permissions are checked before acting (from the cached guild, no request), so a facilitator hears
which permission is missing instead of a half-made thread; `Forbidden` is still caught, because
Discord has the last word.

Posts are written in the server's language (`server_language`), with every text from content
looked up again by id in it; what a facilitator is told in answer stays in their own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.content import Content
from bot.i18n import _, locale_scope
from bot.services.discussions import (
    Announcement,
    ClosingSummary,
    Opening,
    PlatformError,
    ReportCard,
    ReviewCard,
    ThreadCounts,
    sources,
)
from bot.services.discussions.pseudonyms import shown
from bot.services.server_settings import get_settings
from cogs._common import server_language
from cogs.discussions import _render
from cogs.discussions._components import ask_view, report_view, review_view
from cogs.discussions._permissions import (
    CREATE_THREADS,
    EMBED_LINKS,
    MANAGE_THREADS,
    SEND_IN_THREADS,
    SEND_MESSAGES,
    missing_to_close,
    missing_to_open,
    permission_message,
)

if TYPE_CHECKING:
    from bot.app import MutualBot

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
# How far back a restart looks for what it may already have posted.
RECOVERY_LOOKBACK = 50


def relay_header(pseudonym: str) -> str:
    return _("**{pseudonym}** asks:").format(pseudonym=shown(pseudonym))


class DiscordPlatform:
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    async def language(self, guild_id: int) -> str:
        """The language of this server's posts."""
        return await server_language(self.bot, self.bot.db, guild_id)

    @contextmanager
    def _writing_in(self, locale: str) -> Iterator[Content]:
        """Our words and the content, both in `locale`, for the post being written."""
        with locale_scope(locale):
            yield self.bot.content

    def _announcement_in(self, content: Content, announcement: Announcement) -> Announcement:
        topic = announcement.topic_id
        return replace(
            announcement,
            title=sources.title_in(content, announcement.guide_id, topic, announcement.title),
            topic_label=content.topic_label(topic) if topic else announcement.topic_label,
        )

    # -- lookups -------------------------------------------------------------------------------

    def _parent(self, guild_id: int, channel_id: int) -> discord.TextChannel | discord.ForumChannel:
        guild = self.bot.get_guild(guild_id)
        channel = guild.get_channel(channel_id) if guild else None
        if channel is None:
            raise PlatformError(
                _("I can't find that channel any more; it may have been deleted or hidden from me.")
            )
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            raise PlatformError(_("Discussions open in a text channel or a forum channel."))
        return channel

    async def _thread(self, thread_id: int) -> discord.Thread | None:
        channel = self.bot.get_channel(thread_id)
        if isinstance(channel, discord.Thread):
            return channel
        try:
            fetched = await self.bot.fetch_channel(thread_id)
        except (discord.NotFound, discord.Forbidden):
            return None
        return fetched if isinstance(fetched, discord.Thread) else None

    # -- opening and closing -------------------------------------------------------------------

    async def check_can_open(self, guild_id: int, channel_id: int) -> None:
        channel = self._parent(guild_id, channel_id)
        missing = missing_to_open(channel)
        if missing:
            raise PlatformError(permission_message(channel.mention, missing, "open"))

    async def check_can_close(self, guild_id: int, thread_id: int) -> None:
        thread = await self._thread(thread_id)
        if thread is None:
            return  # gone already: closing only updates the record
        missing = missing_to_close(thread)
        if missing:
            raise PlatformError(
                permission_message(thread.mention, missing, "close", _("Nothing was changed."))
            )

    async def open_thread(self, opening: Opening) -> int:
        channel = self._parent(opening.guild_id, opening.channel_id)
        with self._writing_in(await self.language(opening.guild_id)) as content:
            opening = replace(opening, plan=sources.localised(content, opening.plan))
            embed = _render.opening_embed(opening)
            extra: dict[str, Any] = {}
            if opening.anonymous_mode != "off":
                extra["view"] = ask_view(opening.discussion_id)
        # Archived by the close anyway; this only keeps a quiet stretch from archiving it early.
        archive: Literal[1440, 10080] = (
            1440 if opening.close_at - self.bot.clock.now() <= timedelta(days=1) else 10080
        )
        slowmode = opening.slowmode_seconds or None
        try:
            if isinstance(channel, discord.ForumChannel):
                created = await channel.create_thread(
                    name=opening.plan.title,
                    embed=embed,
                    auto_archive_duration=archive,
                    slowmode_delay=slowmode,
                    allowed_mentions=NONE,
                    **extra,
                )
                return created.thread.id
            message = await channel.send(embed=embed, **extra)
            try:
                thread = await message.create_thread(
                    name=opening.plan.title, auto_archive_duration=archive, slowmode_delay=slowmode
                )
            except discord.HTTPException:
                await message.delete()
                raise
            return thread.id
        except discord.Forbidden:
            needed = [SEND_MESSAGES, CREATE_THREADS, MANAGE_THREADS]
            raise PlatformError(permission_message(channel.mention, needed, "open")) from None

    async def find_opening(
        self, guild_id: int, channel_id: int, title: str, taken: set[int]
    ) -> int | None:
        channel = self._parent(guild_id, channel_id)
        me = self.bot.user
        if isinstance(channel, discord.ForumChannel) or me is None:
            return None  # a forum's posts are not in a history to look through
        async for message in channel.history(limit=RECOVERY_LOOKBACK):
            if message.author.id != me.id or message.id in taken:
                continue
            if not any(embed.title == title for embed in message.embeds):
                continue
            thread = await self._thread(message.id)
            if thread is not None:
                return thread.id
            await message.delete()
            return None
        return None

    async def find_relay(
        self, thread_id: int, pseudonym: str, after: datetime, known: set[int]
    ) -> int | None:
        thread = await self._thread(thread_id)
        me = self.bot.user
        if thread is None or me is None:
            return None
        with locale_scope(await self.language(thread.guild.id)):
            prefixes = (relay_header(pseudonym), f"**{pseudonym}** asks:")
        # A margin for clocks that disagree; `known` keeps earlier relays out.
        since = after - timedelta(minutes=10)
        async for message in thread.history(limit=RECOVERY_LOOKBACK, after=since):
            ours = message.author.id == me.id and message.id not in known
            if ours and message.content.startswith(prefixes):
                return message.id
        return None

    async def _summary_posted(self, thread: discord.Thread, title: str) -> bool:
        me = self.bot.user
        async for message in thread.history(limit=RECOVERY_LOOKBACK):
            ours = me is not None and message.author.id == me.id
            if ours and any(embed.title == title for embed in message.embeds):
                return True
        return False

    async def close_thread(self, summary: ClosingSummary) -> None:
        thread = await self._thread(summary.thread_id)
        if thread is None:
            return
        missing = missing_to_close(thread)
        if not missing:
            try:
                with self._writing_in(await self.language(summary.guild_id)) as content:
                    title = sources.title_in(
                        content, summary.guide_id, summary.topic_id, summary.title
                    )
                    embed = _render.summary_embed(replace(summary, title=title))
                if not (summary.resumed and await self._summary_posted(thread, embed.title or "")):
                    await thread.send(embed=embed, allowed_mentions=NONE)
                await thread.edit(locked=True, archived=True)
                return
            except discord.Forbidden:
                missing = [SEND_IN_THREADS, MANAGE_THREADS]
        raise PlatformError(
            permission_message(
                thread.mention,
                missing,
                "summary",
                _("Meanwhile, please lock and archive the thread by hand."),
            )
        )

    async def thread_counts(self, guild_id: int, thread_id: int) -> ThreadCounts:
        """Discord's counts, fetched fresh: the cached thread is not updated without the
        message intents the bot does without."""
        try:
            fetched = await self.bot.fetch_channel(thread_id)
        except discord.HTTPException:
            return ThreadCounts(None, None)
        if not isinstance(fetched, discord.Thread):
            return ThreadCounts(None, None)
        return ThreadCounts(fetched.message_count, fetched.member_count)

    # -- announcements -------------------------------------------------------------------------

    async def announce(self, announcement: Announcement) -> int | None:
        channel = self._parent(announcement.guild_id, announcement.channel_id)
        if isinstance(channel, discord.ForumChannel):
            return None  # a forum has no place for a message before the post itself
        with self._writing_in(await self.language(announcement.guild_id)) as content:
            embed = _render.announcement_embed(self._announcement_in(content, announcement))
        try:
            message = await channel.send(embed=embed)
        except discord.Forbidden:
            raise PlatformError(
                permission_message(channel.mention, [SEND_MESSAGES, EMBED_LINKS], "announce")
            ) from None
        return message.id

    async def remind(self, announcement: Announcement) -> None:
        channel = self._parent(announcement.guild_id, announcement.channel_id)
        if isinstance(channel, discord.TextChannel):
            with self._writing_in(await self.language(announcement.guild_id)) as content:
                embed = _render.reminder_embed(self._announcement_in(content, announcement))
            await channel.send(embed=embed)

    async def withdraw_announcement(self, announcement: Announcement) -> None:
        channel = self._parent(announcement.guild_id, announcement.channel_id)
        if isinstance(channel, discord.TextChannel) and announcement.message_id:
            message = channel.get_partial_message(announcement.message_id)
            with self._writing_in(await self.language(announcement.guild_id)) as content:
                embed = _render.cancelled_embed(self._announcement_in(content, announcement))
            await message.edit(embed=embed)

    async def tell_facilitators(self, guild_id: int, text: str) -> None:
        settings = await get_settings(self.bot.db, guild_id)
        channel = self.bot.get_channel(settings.log_channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            log.warning("A discussion timer had something to report in guild %s", guild_id)
            return
        try:
            await channel.send(text[:2000], allowed_mentions=NONE)
        except discord.HTTPException:
            log.warning("Could not report to the log channel of guild %s", guild_id)

    # -- questions -----------------------------------------------------------------------------

    async def relay(
        self, guild_id: int, thread_id: int, pseudonym: str, text: str, question_id: int
    ) -> int:
        thread = await self._thread(thread_id)
        if thread is None:
            raise PlatformError(_("The discussion's thread is gone, so nothing was sent."))
        # Only the frame is ours: the member's text goes out exactly as written.
        with locale_scope(await self.language(guild_id)):
            header = relay_header(pseudonym)
            view = report_view(question_id)
        try:
            message = await thread.send(f"{header}\n{text}", view=view, allowed_mentions=NONE)
        except discord.Forbidden:
            raise PlatformError(
                _(
                    "I couldn't post in the discussion's thread (I need Send Messages in Threads "
                    "there), so your question wasn't sent. Please let a moderator know."
                )
            ) from None
        return message.id

    async def delete_message(self, guild_id: int, channel_id: int, message_id: int) -> None:
        thread = await self._thread(channel_id)
        if thread is None:
            return
        with suppress(discord.NotFound):
            await thread.get_partial_message(message_id).delete()

    async def post_review(self, channel_id: int, card: ReviewCard) -> int | None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return None
        with self._writing_in(await self.language(card.guild_id)) as content:
            title = sources.title_for(
                content, card.guide_id, card.source_kind, card.source_id, card.discussion_title
            )
            embed = _render.review_embed(replace(card, discussion_title=title))
            view = review_view(card.question_id)
        message = await channel.send(
            embed=embed,
            view=view,
            allowed_mentions=NONE,
        )
        return message.id

    async def post_report(self, channel_id: int, card: ReportCard) -> bool:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return False
        await channel.send(embed=_render.report_embed(card), allowed_mentions=NONE)
        return True

    async def settle_review(self, channel_id: int, message_id: int, outcome: str) -> None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        with locale_scope(await self.language(channel.guild.id)):
            embed = _render.settled_embed(outcome)
        await channel.get_partial_message(message_id).edit(embed=embed, view=None)
