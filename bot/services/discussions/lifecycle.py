"""A discussion's life: scheduled, opened, closed (by a facilitator or by its own clock).

The database row is claimed before Discord is touched, so a close or an opening happens once even
if a command and the timer race, and a restart finds every pending close and start in the table.

What a facilitator does is answered in their language; what the timers do (`TimerSteps`, with
the opening and closing made here), and what they tell facilitators, is in the server's language
(`server_locale`), like the posts themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.content import Content, Excerpt
from bot.db import Storage
from bot.db import anonymous_questions as questions_repo
from bot.db import discussions as repo
from bot.db.discussions import DiscussionRow
from bot.db.settings import get_settings
from bot.errors import UserFacingError
from bot.i18n import _, locale_scope, ngettext
from bot.services.discussions import sources
from bot.services.discussions.lookup import open_discussion_meant
from bot.services.discussions.model import (
    MAX_NOTE_CHARS,
    Announcement,
    ClosingSummary,
    DiscussionPlatform,
    Listing,
    Opening,
    Scheduled,
    ServerLocale,
    SourceKind,
    SourcePlan,
    Started,
    in_english,
)
from bot.services.discussions.when import parse_local
from bot.services.prompts.model import PostedPrompt

log = logging.getLogger(__name__)


class Discussions:
    def __init__(
        self,
        db: Storage,
        content: Content | Callable[[], Content],
        clock: Clock,
        platform: DiscussionPlatform,
        *,
        attribution: Callable[[Excerpt], str],
        on_schedule_change: Callable[[], Awaitable[None]] | None = None,
        latest_prompt: Callable[[int], Awaitable[PostedPrompt | None]] | None = None,
        server_locale: ServerLocale = in_english,
    ) -> None:
        """`content` may be a function giving the content of the current language; `server_locale`
        gives the language of a server's posts."""
        self.db = db
        self._content = content
        self.clock = clock
        self.platform = platform
        self.attribution = attribution
        self._on_schedule_change = on_schedule_change
        self._latest_prompt = latest_prompt
        self.server_locale = server_locale

    @property
    def content(self) -> Content:
        """The content in the current language (English when it was given as is)."""
        return self._content() if callable(self._content) else self._content

    async def changed(self) -> None:
        """Re-arm the timer: a discussion was scheduled, opened, cancelled or closed."""
        if self._on_schedule_change is not None:
            await self._on_schedule_change()

    async def latest_prompt(self, guild_id: int) -> PostedPrompt | None:
        """The prompt the daily-prompts feature last posted here; None without that feature."""
        if self._latest_prompt is None:
            return None
        return await self._latest_prompt(guild_id)

    async def plan(self, guild_id: int, kind: SourceKind, source_id: str) -> SourcePlan:
        rotation = await repo.count_in_guild(self.db, guild_id)
        if kind == "prompt" and source_id == sources.POSTED_PROMPT:
            posted = await self.latest_prompt(guild_id)
            if posted is None:
                raise UserFacingError(_(sources.NO_POSTED_PROMPT))
            # Its title may be the words "The prompt of …": written as the server reads them.
            with locale_scope(await self.server_locale(guild_id)):
                return sources.from_posted(self.content, posted, rotation=rotation)
        return sources.resolve(
            self.content, kind, source_id, rotation=rotation, attribution=self.attribution
        )

    # -- opening -------------------------------------------------------------------------------

    async def start(
        self,
        guild_id: int,
        channel_id: int,
        kind: SourceKind,
        source_id: str,
        *,
        duration_minutes: int,
        slowmode_seconds: int = 0,
    ) -> Started:
        plan = await self.plan(guild_id, kind, source_id)
        await self.platform.check_can_open(guild_id, channel_id)
        discussion_id = await repo.create_discussion(
            self.db,
            guild_id=guild_id,
            channel_id=channel_id,
            state="opening",
            source_kind=kind,
            source_id=plan.source_id,
            guide_id=plan.guide_id,
            title=plan.title,
            duration_minutes=duration_minutes,
            slowmode_seconds=slowmode_seconds,
        )
        try:
            thread_id, close_at = await self.open_planned(discussion_id, guild_id, channel_id, plan)
        except Exception:
            await repo.delete_discussion(self.db, discussion_id)
            raise
        await self.changed()
        return Started(discussion_id, thread_id, plan.title, close_at)

    async def open_planned(
        self, discussion_id: int, guild_id: int, channel_id: int, plan: SourcePlan
    ) -> tuple[int, datetime]:
        """Make the thread of a discussion whose row is claimed, and record it as open."""
        row = await repo.get_discussion(self.db, discussion_id)
        assert row is not None
        settings = await get_settings(self.db, guild_id)
        now = self.clock.now()
        close_at = now + timedelta(minutes=row.duration_minutes)
        opening = Opening(
            discussion_id=discussion_id,
            guild_id=guild_id,
            channel_id=channel_id,
            plan=plan,
            ground_rules=settings.ground_rules,
            close_at=close_at,
            slowmode_seconds=row.slowmode_seconds,
            anonymous_mode=settings.anonymous_mode,
        )
        thread_id = await self.platform.open_thread(opening)
        await repo.mark_opened(
            self.db, discussion_id, thread_id=thread_id, opened_at=now, close_at=close_at
        )
        return thread_id, close_at

    # -- scheduling ----------------------------------------------------------------------------

    async def schedule(
        self,
        guild_id: int,
        channel_id: int,
        kind: SourceKind,
        source_id: str,
        *,
        when: str,
        timezone: str,
        duration_minutes: int,
        slowmode_seconds: int = 0,
        remind_minutes: int = 60,
    ) -> Scheduled:
        if kind == "prompt" and source_id == sources.POSTED_PROMPT:
            raise UserFacingError(
                _(
                    "Today's prompt can open a discussion right now with /discuss start. For a "
                    "scheduled discussion, please pick a prompt from the list."
                )
            )
        now = self.clock.now()
        starts_at = parse_local(when, timezone, now)
        plan = await self.plan(guild_id, kind, source_id)
        await self.platform.check_can_open(guild_id, channel_id)
        remind_at = starts_at - timedelta(minutes=remind_minutes) if remind_minutes else None
        if remind_at is not None and remind_at <= now:
            remind_at = None
        discussion_id = await repo.create_discussion(
            self.db,
            guild_id=guild_id,
            channel_id=channel_id,
            state="scheduled",
            source_kind=kind,
            source_id=source_id,
            guide_id=plan.guide_id,
            title=plan.title,
            duration_minutes=duration_minutes,
            slowmode_seconds=slowmode_seconds,
            timezone=timezone,
            starts_at=starts_at,
            remind_at=remind_at,
        )
        row = await repo.get_discussion(self.db, discussion_id)
        assert row is not None
        try:
            message_id = await self.platform.announce(self.announcement(row))
        except Exception:
            await repo.delete_discussion(self.db, discussion_id)
            raise
        await repo.set_announcement(self.db, discussion_id, message_id)
        await self.changed()
        return Scheduled(discussion_id, plan.title, starts_at, remind_at, message_id is not None)

    def announcement(self, row: DiscussionRow) -> Announcement:
        """What the announcement, reminder or withdrawal of a scheduled discussion shows."""
        assert row.starts_at is not None
        content = self.content
        topic_id = sources.topic_of(content, row.source_kind, row.source_id)
        return Announcement(
            discussion_id=row.id,
            guild_id=row.guild_id,
            channel_id=row.channel_id,
            title=self.title_of(row),
            topic_label=content.topic_label(topic_id) if topic_id else "",
            starts_at=row.starts_at,
            duration_minutes=row.duration_minutes,
            message_id=row.announce_message_id,
            guide_id=row.guide_id,
            topic_id=topic_id,
        )

    def title_of(self, row: DiscussionRow) -> str:
        """The discussion's title in the current language."""
        return sources.title_for(
            self.content, row.guide_id, row.source_kind, row.source_id, row.title
        )

    async def cancel(self, guild_id: int, discussion_id: int) -> DiscussionRow:
        row = await repo.get_discussion(self.db, discussion_id)
        if row is None or row.guild_id != guild_id or row.state != "scheduled":
            raise UserFacingError(
                _("I couldn't find that scheduled discussion. /discuss list shows what is planned.")
            )
        if not await repo.cancel_scheduled(self.db, discussion_id, guild_id):
            raise UserFacingError(_("That discussion has already started or been cancelled."))
        if row.announce_message_id is not None:
            try:
                await self.platform.withdraw_announcement(self.announcement(row))
            except Exception:
                log.warning("Could not update the announcement of discussion %s", discussion_id)
        await self.changed()
        return row

    async def listing(self, guild_id: int) -> Listing:
        return Listing(
            open=await repo.discussions_in(self.db, guild_id, ("open",)),
            scheduled=await repo.discussions_in(self.db, guild_id, ("scheduled",)),
        )

    # -- closing -------------------------------------------------------------------------------

    async def find_open(
        self, guild_id: int, *, thread_id: int | None = None, discussion_id: int | None = None
    ) -> DiscussionRow:
        """The discussion a command means: the given one, the thread it runs in, or the only one."""
        row = await open_discussion_meant(
            self.db,
            guild_id,
            thread_id=thread_id,
            discussion_id=discussion_id,
            several_open=_(
                "Several discussions are open. Please use this inside the discussion's "
                "thread, or choose the discussion from the list."
            ),
        )
        if row is None:
            raise UserFacingError(_("There is no open discussion here. /discuss list shows them."))
        return row

    async def close(
        self,
        guild_id: int,
        *,
        thread_id: int | None = None,
        discussion_id: int | None = None,
        note: str | None = None,
    ) -> ClosingSummary:
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise UserFacingError(
                ngettext(
                    "The closing note can be at most {limit} characters; this one has "
                    "{count}. Please shorten it and try again.",
                    "The closing note can be at most {limit} characters; this one has "
                    "{count}. Please shorten it and try again.",
                    len(note),
                ).format(limit=MAX_NOTE_CHARS, count=len(note))
            )
        row = await self.find_open(guild_id, thread_id=thread_id, discussion_id=discussion_id)
        assert row.thread_id is not None
        await self.platform.check_can_close(guild_id, row.thread_id)
        summary = await self.claim_and_close(row, note=note or None, by_timer=False)
        if summary is None:
            raise UserFacingError(_("That discussion has just been closed."))
        return summary

    async def claim_and_close(
        self, row: DiscussionRow, *, note: str | None, by_timer: bool
    ) -> ClosingSummary | None:
        """Claim the close, then summarise, lock and archive; None when the close was claimed
        already (by a facilitator or the timer, whichever came first)."""
        now = self.clock.now()
        if row.thread_id is None or not await repo.claim_close(self.db, row.id, now):
            return None
        # Until close_done, the claim is marked pending: a stop before the thread is locked is
        # finished at the next start (TimerSteps.resume_interrupted).
        expired = await questions_repo.expire_pending(self.db, row.id, now)
        if expired:
            with locale_scope(await self.server_locale(row.guild_id)):
                outcome = _("Not relayed: the discussion closed before it was reviewed.")
        for question in expired:
            if question.review_channel_id and question.review_message_id:
                try:
                    await self.platform.settle_review(
                        question.review_channel_id, question.review_message_id, outcome
                    )
                except Exception:
                    log.warning("Could not update a review card in guild %s", row.guild_id)
        summary = await self.summary(row, now, note=note, by_timer=by_timer)
        try:
            await self.platform.close_thread(summary)
        finally:
            await repo.close_done(self.db, row.id)
        await self.changed()
        return summary

    async def summary(
        self, row: DiscussionRow, closed_at: datetime, *, note: str | None, by_timer: bool,
        resumed: bool = False,
    ) -> ClosingSummary:  # fmt: skip
        """The summary posted at the close, with Discord's counts of the thread."""
        assert row.thread_id is not None
        counts = await self.platform.thread_counts(row.guild_id, row.thread_id)
        relayed, askers = await questions_repo.question_counts(self.db, row.id)
        people = None if counts.members is None else max(counts.members - 1, 0)
        return ClosingSummary(
            discussion_id=row.id,
            guild_id=row.guild_id,
            thread_id=row.thread_id,
            title=self.title_of(row),
            duration=closed_at - (row.opened_at or closed_at),
            messages=counts.messages,
            people=people,
            questions_relayed=relayed,
            askers=askers,
            note=note,
            by_timer=by_timer,
            resumed=resumed,
            guide_id=row.guide_id,
            topic_id=sources.topic_of(self.content, row.source_kind, row.source_id),
        )

    # -- timers --------------------------------------------------------------------------------

    async def next_due(self) -> datetime | None:
        """When the next reminder, opening or close is due; `TimerSteps` runs each."""
        return await repo.next_due(self.db)
