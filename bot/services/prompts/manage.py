"""What moderators do to a server's schedule: set up, look, pause, resume, skip, post now, stop.

Every change recomputes the row's next run from the rule and the last posted local date, so a
change of time or timezone can never produce a second post for a day that already had one.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from bot.clock import Clock
from bot.content import Content
from bot.db import Storage, prompt_posts
from bot.db import prompts as repo
from bot.i18n import DEFAULT_LOCALE, _, locale_scope
from bot.services.prompts import pauses, post_now
from bot.services.prompts.formats import full_date
from bot.services.prompts.library import text_for_key
from bot.services.prompts.model import (
    PostedPrompt,
    PostJob,
    PromptInputError,
    PromptText,
)
from bot.services.prompts.rows import from_ts, rule_of, to_ts
from bot.services.prompts.schedule import (
    Rule,
    Run,
    format_time,
    parse_time,
    parse_weekdays,
    resolve_timezone,
)
from bot.services.prompts.schedule_names import find_schedule, schedule_name
from bot.services.prompts.zone_change import redate_recent_posts

UPCOMING = 5
# A posted prompt may have left the library since (a removed custom prompt): look a little further.
POSTED_LOOKBACK = 5
MAX_PAUSE_DAYS = 366
PAUSED_BY_MODERATOR = pauses.BY_MODERATOR
MAX_SCHEDULES = 5
"""Schedules one server may keep: enough for weekdays, weekends and a few special channels."""


@dataclass(frozen=True)
class ScheduleInfo:
    schedule: repo.ScheduleRow
    rule: Rule
    upcoming: list[Run]
    last_post: prompt_posts.PostRow | None

    @property
    def paused(self) -> bool:
        return self.schedule.paused_reason is not None


class PromptSchedules:
    def __init__(
        self,
        db: Storage,
        content: Content,
        clock: Clock,
        on_schedule_change: Callable[[], Awaitable[None]] | None = None,
    ):
        """`on_schedule_change` re-arms the timer: every change to a schedule goes through here,
        so the alarm can never be left pointing at a run that no longer exists."""
        self.db = db
        self.content = content
        self.clock = clock
        self._on_schedule_change = on_schedule_change

    async def _changed(self) -> None:
        if self._on_schedule_change is not None:
            await self._on_schedule_change()

    async def _require(self, guild_id: int, name: str | None = None) -> repo.ScheduleRow:
        schedule = await find_schedule(self.db, guild_id, name)
        if schedule is None:
            raise PromptInputError(
                _(
                    "Daily prompts aren't set up here yet. A moderator can start them with "
                    "/prompts setup."
                )
            )
        return schedule

    async def names(self, guild_id: int) -> list[str]:
        """The server's schedule names, oldest first (for autocomplete)."""
        return [s.name for s in await repo.list_schedules(self.db, guild_id)]

    async def _last_posted(
        self, guild_id: int, name: str, schedule: repo.ScheduleRow | None
    ) -> date | None:
        """Claims are the record; the row's own note only matters once old claims were pruned."""
        posted = await prompt_posts.last_posted_date(self.db, guild_id, name)
        if posted is None and schedule is not None:
            posted = schedule.last_local_date
        return date.fromisoformat(posted) if posted else None

    async def info(self, guild_id: int, name: str | None = None) -> ScheduleInfo | None:
        schedule = await find_schedule(self.db, guild_id, name)
        if schedule is None:
            return None
        return await self._info(schedule)

    async def all(self, guild_id: int) -> list[ScheduleInfo]:
        """Every schedule of the server, oldest first."""
        return [await self._info(s) for s in await repo.list_schedules(self.db, guild_id)]

    async def _info(self, schedule: repo.ScheduleRow) -> ScheduleInfo:
        guild_id = schedule.guild_id
        rule = rule_of(schedule)
        upcoming: list[Run] = []
        if schedule.next_run_utc is not None and schedule.next_local_date:
            first = Run(
                from_ts(schedule.next_run_utc), date.fromisoformat(schedule.next_local_date)
            )
            upcoming = [
                first,
                *rule.upcoming(first.at_utc, UPCOMING - 1, after_date=first.local_date),
            ]
        last = await prompt_posts.last_post(self.db, guild_id, schedule.name)
        return ScheduleInfo(schedule, rule, upcoming, last)

    async def latest_posted(self, guild_id: int) -> PostedPrompt | None:
        """The prompt most recently posted here (today's, if any), as members saw it. Read-only."""
        for post in await prompt_posts.recent_sent_posts(self.db, guild_id, POSTED_LOOKBACK):
            text = await self._text_of(guild_id, post.prompt_key)
            if text is None:
                continue
            schedule = await repo.get_schedule(self.db, guild_id, post.schedule_name)
            zone: tzinfo = rule_of(schedule).tz if schedule is not None else UTC
            posted_on = date.fromisoformat(post.local_date)
            today = self.clock.now().astimezone(zone).date()
            return PostedPrompt(text, posted_on, today=posted_on == today)
        return None

    async def _text_of(self, guild_id: int, key: str) -> PromptText | None:
        return await text_for_key(self.db, self.content.prompts, guild_id, key)

    async def _save(self, schedule: repo.ScheduleRow) -> ScheduleInfo:
        stamp = self.clock.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        await repo.save_schedule(self.db, schedule, stamp)
        await self._changed()
        info = await self.info(schedule.guild_id, schedule.name)
        assert info is not None
        return info

    def _next(self, rule: Rule, after: datetime, last: date | None) -> Run:
        return rule.next_after(after, after_date=last)

    async def setup(
        self,
        guild_id: int,
        channel_id: int,
        time_text: str,
        timezone: str,
        weekdays: str | None,
        *,
        use_thread: bool,
        pin: bool,
        with_excerpt: bool,
        name: str | None = None,
        topics: str | None = None,
    ) -> ScheduleInfo:
        """Set up (or change) one schedule: the named one, else the server's first or "daily".

        A new name is a new schedule, up to MAX_SCHEDULES a server."""
        at = parse_time(time_text)
        tz = resolve_timezone(timezone)
        rule = Rule(at, tz, parse_weekdays(weekdays))
        chosen = self._topics(topics)
        if name is None or not name.strip():
            first = await repo.get_schedule(self.db, guild_id)
            name = first.name if first is not None else repo.DEFAULT_NAME
        else:
            name = schedule_name(name)
        current = await repo.get_schedule(self.db, guild_id, name)
        if current is None and await repo.count_schedules(self.db, guild_id) >= MAX_SCHEDULES:
            raise PromptInputError(
                _(
                    "This server already has {count} prompt schedules, the most it can have. "
                    "Change one of them with /prompts setup schedule:<name>, or remove one with "
                    "/prompts remove-schedule."
                ).format(count=MAX_SCHEDULES)
            )
        if current is not None and current.timezone != tz.key:
            await redate_recent_posts(self.db, self.clock.now(), guild_id, name, tz)
        last = await self._last_posted(guild_id, name, current)
        run = self._next(rule, self.clock.now(), last)
        return await self._save(
            repo.ScheduleRow(
                guild_id=guild_id,
                channel_id=channel_id,
                local_time=format_time(at),
                timezone=tz.key,
                weekdays=rule.weekdays,
                use_thread=use_thread,
                pin=pin,
                with_excerpt=with_excerpt,
                next_run_utc=to_ts(run.at_utc),
                next_local_date=run.local_date.isoformat(),
                last_local_date=last.isoformat() if last else None,
                name=name,
                topics=chosen,
            )
        )

    def _topics(self, text: str | None) -> str | None:
        """`gratitude, rest` as stored topic ids (by id or label); empty or `all`: every topic."""
        if text is None or text.strip().lower() in ("", "all"):
            return None
        by_label = {self.content.topic_label(t).lower(): t for t in self.content.topics}
        chosen: list[str] = []
        for part in text.split(","):
            typed = part.strip().lower()
            if not typed:
                continue
            topic = typed if typed in self.content.topics else by_label.get(typed)
            if topic is None:
                raise PromptInputError(
                    _("I don't know the topic “{typed}”. Topics: {topics}.").format(
                        typed=part.strip()[:40], topics=", ".join(sorted(self.content.topics))
                    )
                )
            if topic not in chosen:
                chosen.append(topic)
        return "\n".join(chosen) or None

    async def pause(
        self, guild_id: int, until: str | None, name: str | None = None
    ) -> ScheduleInfo:
        schedule = await self._require(guild_id, name)
        if until is None or not until.strip():
            return await self._save(
                replace(schedule, next_run_utc=None, next_local_date=None,
                        paused_reason=PAUSED_BY_MODERATOR, paused_until=None, pause_notified=True)
            )  # fmt: skip
        rule = rule_of(schedule)
        today = self.clock.now().astimezone(rule.tz).date()
        resume_on = parse_until(until, today)
        last = await self._last_posted(guild_id, schedule.name, schedule)
        after_date = resume_on - timedelta(days=1)
        if last is not None and last > after_date:
            after_date = last
        run = rule.next_after(self.clock.now(), after_date=after_date)
        return await self._save(
            replace(schedule, next_run_utc=to_ts(run.at_utc), next_local_date=run.local_date.isoformat(),
                    paused_reason=_stored_until(resume_on),
                    paused_until=resume_on.isoformat(), pause_notified=True)
        )  # fmt: skip

    async def resume(self, guild_id: int, name: str | None = None) -> ScheduleInfo:
        schedule = await self._require(guild_id, name)
        if schedule.paused_reason is None:
            raise PromptInputError(_("Daily prompts aren't paused here; nothing to resume."))
        run = self._next(
            rule_of(schedule),
            self.clock.now(),
            await self._last_posted(guild_id, schedule.name, schedule),
        )
        return await self._save(
            replace(schedule, next_run_utc=to_ts(run.at_utc), next_local_date=run.local_date.isoformat(),
                    paused_reason=None, paused_until=None, pause_notified=False)
        )  # fmt: skip

    async def skip(self, guild_id: int, name: str | None = None) -> tuple[Run, ScheduleInfo]:
        schedule = await self._require(guild_id, name)
        if schedule.next_run_utc is None or not schedule.next_local_date:
            raise PromptInputError(_("Posting is paused, so there is no next prompt to skip."))
        skipped = Run(from_ts(schedule.next_run_utc), date.fromisoformat(schedule.next_local_date))
        run = rule_of(schedule).next_after(skipped.at_utc, after_date=skipped.local_date)
        info = await self._save(
            replace(schedule, next_run_utc=to_ts(run.at_utc), next_local_date=run.local_date.isoformat())
        )  # fmt: skip
        return skipped, info

    async def off(self, guild_id: int) -> bool:
        """Every schedule of the server stops."""
        removed = await repo.delete_schedule(self.db, guild_id) > 0
        await self._changed()
        return removed

    async def remove(self, guild_id: int, name: str) -> bool:
        """One schedule stops; its past posts stay on record (and keep the day's claim)."""
        schedule = await self._require(guild_id, name)
        removed = await repo.delete_schedule(self.db, guild_id, schedule.name) > 0
        await self._changed()
        return removed

    async def preview(self, guild_id: int, name: str | None = None) -> PromptText:
        return await post_now.preview(self.db, self.content, guild_id, name)

    async def claim_now(self, guild_id: int, name: str | None = None) -> PostJob:
        """Claim today's post for an immediate send; the scheduled one for today then stands down."""
        job = await post_now.claim_now(self.db, self.content, self.clock.now(), guild_id, name)
        await self._changed()
        return job


_DAYS = re.compile(r"^\s*(\d{1,3})\s*(d|day|days)?\s*$", re.IGNORECASE)


def parse_until(text: str, today: date) -> date:
    """'2026-04-01' (a local date) or a number of days such as '7d'."""
    raw = text.strip()
    match = _DAYS.match(raw)
    try:
        resume_on = (
            today + timedelta(days=int(match.group(1))) if match else date.fromisoformat(raw)
        )
    except ValueError:
        raise PromptInputError(
            _(
                "I couldn't read “{typed}” as a date. Use YYYY-MM-DD (for example {example}) "
                "or a number of days such as 7d."
            ).format(typed=raw[:20], example=(today + timedelta(days=7)).isoformat())
        ) from None
    if resume_on <= today:
        raise PromptInputError(_("The pause needs to end after today. Pick a later date."))
    if resume_on > today + timedelta(days=MAX_PAUSE_DAYS):
        raise PromptInputError(_("A pause can last up to a year. For longer, use /prompts off."))
    return resume_on


def _stored_until(resume_on: date) -> str:
    """Stored in English whoever paused; `pauses.shown_reason` puts it in the reader's
    language."""
    with locale_scope(DEFAULT_LOCALE):
        return pauses.BY_MODERATOR_UNTIL.format(date=full_date(resume_on))
