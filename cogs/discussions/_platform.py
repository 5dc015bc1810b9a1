"""Every Discord call the discussion services make, with permission problems put kindly.

Permissions are checked before acting (from the cached guild, no request), so a facilitator hears
which permission is missing instead of a half-made thread; `Forbidden` is still caught, because
Discord has the last word.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.db.settings import get_settings
from bot.services.discussions import (
    Announcement,
    ClosingSummary,
    Opening,
    PlatformError,
    ReviewCard,
    ThreadCounts,
)
from cogs.discussions import _render
from cogs.discussions._components import ask_view, review_view

if TYPE_CHECKING:
    from bot.app import MutualBot

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
# How far back a restart looks for what it may already have posted.
RECOVERY_LOOKBACK = 50

# (attribute of discord.Permissions, the name Discord shows in channel settings)
COMMON = [
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("send_messages_in_threads", "Send Messages in Threads"),
    ("manage_threads", "Manage Threads"),
]
TEXT_ONLY = [
    ("create_public_threads", "Create Public Threads"),
    ("read_message_history", "Read Message History"),
]


def _names(missing: list[str]) -> str:
    bold = [f"**{name}**" for name in missing]
    if len(bold) == 1:
        return f"the {bold[0]} permission"
    return f"the {', '.join(bold[:-1])} and {bold[-1]} permissions"


def permission_message(
    where: str, missing: list[str], doing: str, outcome: str = "Nothing was posted."
) -> str:
    it = "it" if len(missing) == 1 else "them"
    return (
        f"I can't {doing} in {where} yet: I need {_names(missing)} there. A server admin can "
        f"give {it} to Mutual in the channel's settings under Permissions; then please try "
        f"again. {outcome}"
    )


def missing_to_close(thread: discord.Thread) -> list[str]:
    perms = thread.permissions_for(thread.guild.me)
    wanted = [("send_messages_in_threads", "Send Messages in Threads")]
    wanted.append(("manage_threads", "Manage Threads"))
    return [label for attr, label in wanted if not getattr(perms, attr)]


class DiscordPlatform:
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    # -- lookups -------------------------------------------------------------------------------

    def _parent(self, guild_id: int, channel_id: int) -> discord.TextChannel | discord.ForumChannel:
        guild = self.bot.get_guild(guild_id)
        channel = guild.get_channel(channel_id) if guild else None
        if channel is None:
            raise PlatformError(
                "I can't find that channel any more; it may have been deleted or hidden from me."
            )
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            raise PlatformError("Discussions open in a text channel or a forum channel.")
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
        perms = channel.permissions_for(channel.guild.me)
        wanted = COMMON + (TEXT_ONLY if isinstance(channel, discord.TextChannel) else [])
        missing = [label for attr, label in wanted if not getattr(perms, attr)]
        if missing:
            raise PlatformError(permission_message(channel.mention, missing, "open a discussion"))

    async def check_can_close(self, guild_id: int, thread_id: int) -> None:
        thread = await self._thread(thread_id)
        if thread is None:
            return  # gone already: closing only updates the record
        missing = missing_to_close(thread)
        if missing:
            raise PlatformError(
                permission_message(
                    thread.mention, missing, "close the discussion", "Nothing was changed."
                )
            )

    async def open_thread(self, opening: Opening) -> int:
        channel = self._parent(opening.guild_id, opening.channel_id)
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
            needed = ["Send Messages", "Create Public Threads", "Manage Threads"]
            raise PlatformError(
                permission_message(channel.mention, needed, "open a discussion")
            ) from None

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
        prefix = f"**{pseudonym}** asks:"
        # A margin for clocks that disagree; `known` keeps earlier relays out.
        since = after - timedelta(minutes=10)
        async for message in thread.history(limit=RECOVERY_LOOKBACK, after=since):
            if message.author.id == me.id and message.id not in known:
                if message.content.startswith(prefix):
                    return message.id
        return None

    async def _summary_posted(self, thread: discord.Thread, title: str) -> bool:
        me = self.bot.user
        async for message in thread.history(limit=RECOVERY_LOOKBACK):
            if me is not None and message.author.id == me.id:
                if any(embed.title == title for embed in message.embeds):
                    return True
        return False

    async def close_thread(self, summary: ClosingSummary) -> None:
        thread = await self._thread(summary.thread_id)
        if thread is None:
            return
        missing = missing_to_close(thread)
        if not missing:
            try:
                embed = _render.summary_embed(summary)
                if not (summary.resumed and await self._summary_posted(thread, embed.title or "")):
                    await thread.send(embed=embed, allowed_mentions=NONE)
                await thread.edit(locked=True, archived=True)
                return
            except discord.Forbidden:
                missing = ["Send Messages in Threads", "Manage Threads"]
        raise PlatformError(
            permission_message(
                thread.mention,
                missing,
                "post the summary and lock it",
                "Meanwhile, please lock and archive the thread by hand.",
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
        try:
            message = await channel.send(embed=_render.announcement_embed(announcement))
        except discord.Forbidden:
            raise PlatformError(
                permission_message(channel.mention, ["Send Messages", "Embed Links"], "announce")
            ) from None
        return message.id

    async def remind(self, announcement: Announcement) -> None:
        channel = self._parent(announcement.guild_id, announcement.channel_id)
        if isinstance(channel, discord.TextChannel):
            await channel.send(embed=_render.reminder_embed(announcement))

    async def withdraw_announcement(self, announcement: Announcement) -> None:
        channel = self._parent(announcement.guild_id, announcement.channel_id)
        if isinstance(channel, discord.TextChannel) and announcement.message_id:
            message = channel.get_partial_message(announcement.message_id)
            await message.edit(embed=_render.cancelled_embed(announcement))

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

    async def relay(self, guild_id: int, thread_id: int, pseudonym: str, text: str) -> int:
        thread = await self._thread(thread_id)
        if thread is None:
            raise PlatformError("The discussion's thread is gone, so nothing was sent.")
        try:
            message = await thread.send(f"**{pseudonym}** asks:\n{text}", allowed_mentions=NONE)
        except discord.Forbidden:
            raise PlatformError(
                "I couldn't post in the discussion's thread (I need Send Messages in Threads "
                "there), so your question wasn't sent. Please let a moderator know."
            ) from None
        return message.id

    async def delete_message(self, guild_id: int, channel_id: int, message_id: int) -> None:
        thread = await self._thread(channel_id)
        if thread is None:
            return
        try:
            await thread.get_partial_message(message_id).delete()
        except discord.NotFound:
            pass

    async def post_review(self, channel_id: int, card: ReviewCard) -> int | None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return None
        message = await channel.send(
            embed=_render.review_embed(card),
            view=review_view(card.question_id),
            allowed_mentions=NONE,
        )
        return message.id

    async def settle_review(self, channel_id: int, message_id: int, outcome: str) -> None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        await channel.get_partial_message(message_id).edit(
            embed=_render.settled_embed(outcome), view=None
        )
