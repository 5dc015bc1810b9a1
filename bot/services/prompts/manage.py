"""What moderators do to a server's schedule: set up, look, pause, resume, skip, post now, stop.

Every change recomputes the row's next run from the rule and the last posted local date, so a
change of time or timezone can never produce a second post for a day that already had one.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.content import Content
from bot.db import Storage, prompt_queue
from bot.db import prompt_library as library
from bot.db import prompts as repo
from bot.i18n import DEFAULT_LOCALE, _, locale_scope
from bot.services.prompts import pauses, queue, rotation
from bot.services.prompts.dispatch import PromptDueSource
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

UPCOMING = 5
# A posted prompt may have left the library since (a removed custom prompt): look a little further.
POSTED_LOOKBACK = 5
MAX_PAUSE_DAYS = 366
# Posts older than this can no longer share a local day with the next one, whatever the zone.
REDATE_WINDOW = timedelta(days=3)
PAUSED_BY_MODERATOR = pauses.BY_MODERATOR
DEFAULT_SCHEDULE = repo.DEFAULT_NAME
MAX_SCHEDULES = 5
"""Schedules one server may keep: enough for weekdays, weekends and a few special channels."""
NAME_MAX = 32
_NAME = re.compile(r"^[\w-]{1,32}$")


def schedule_name(text: str) -> str:
    """A schedule's name as typed, made one word: `Weekend posts` becomes `weekend-posts`."""
    name = "-".join(text.strip().lower().split())
    if not _NAME.match(name):
        raise PromptInputError(
            _(
                "A schedule name is one short word of letters, digits or dashes (up to {count} "
                "characters), such as weekdays or weekend."
            ).format(count=NAME_MAX)
        )
    return name


@dataclass(frozen=True)
class ScheduleInfo:
    schedule: repo.ScheduleRow
    rule: Rule
    upcoming: list[Run]
    last_post: repo.PostRow | None

    @property
    def paused(self) -> bool:
        return self.schedule.paused_reason is not None


class PromptSchedules:
    def __init__(
        self,
        db: Storage,
        content: Content,
        clock: Clock,
        source: PromptDueSource,
        on_schedule_change: Callable[[], Awaitable[None]] | None = None,
    ):
        """`on_schedule_change` re-arms the timer: every change to a schedule goes through here,
        so the alarm can never be left pointing at a run that no longer exists."""
        self.db = db
        self.content = content
        self.clock = clock
        self.source = source
        self._on_schedule_change = on_schedule_change

    async def _changed(self) -> None:
        if self._on_schedule_change is not None:
            await self._on_schedule_change()

    async def _require(self, guild_id: int, name: str | None = None) -> repo.ScheduleRow:
        schedule = await self._find(self.db, guild_id, name)
        if schedule is None:
            raise PromptInputError(
                _(
                    "Daily prompts aren't set up here yet. A moderator can start them with "
                    "/prompts setup."
                )
            )
        return schedule

    async def _find(
        self, conn: repo.Conn, guild_id: int, name: str | None
    ) -> repo.ScheduleRow | None:
        """The named schedule (an unknown name is refused, naming the ones there are), or the
        server's first when none is named: a server with one schedule never has to name it."""
        if name is None or not name.strip():
            return await repo.get_schedule(conn, guild_id)
        wanted = "-".join(name.strip().lower().split())
        schedule = await repo.get_schedule(conn, guild_id, wanted)
        if schedule is None:
            known = [s.name for s in await repo.list_schedules(conn, guild_id)]
            if not known:
                return None
            raise PromptInputError(
                _("There is no schedule called “{name}” here. This server has: {names}.").format(
                    name=name.strip()[:NAME_MAX], names=", ".join(known)
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
        posted = await repo.last_posted_date(self.db, guild_id, name)
        if posted is None and schedule is not None:
            posted = schedule.last_local_date
        return date.fromisoformat(posted) if posted else None

    async def info(self, guild_id: int, name: str | None = None) -> ScheduleInfo | None:
        schedule = await self._find(self.db, guild_id, name)
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
        last = await repo.last_post(self.db, guild_id, schedule.name)
        return ScheduleInfo(schedule, rule, upcoming, last)

    async def latest_posted(self, guild_id: int) -> PostedPrompt | None:
        """The prompt most recently posted here (today's, if any), as members saw it. Read-only."""
        for post in await repo.recent_sent_posts(self.db, guild_id, POSTED_LOOKBACK):
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
            await self._redate_recent_posts(guild_id, name, tz)
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

    async def _redate_recent_posts(self, guild_id: int, name: str, tz: ZoneInfo) -> None:
        """Date the last few posts as the new zone's calendar sees them.

        A post is keyed by its local date, and the next one must fall on a later date. Carried
        over unchanged, the old zone's dates would make a zone to the west skip its next day (a
        late-evening post in Berlin is already "tomorrow" there) and a zone to the east post twice
        on one of its days. Claims still being sent keep their date, so their nonce holds.
        """
        since = self.clock.now() - REDATE_WINDOW
        async with self.db.transaction() as tx:
            moves = [
                (stored, from_ts(due).astimezone(tz).date().isoformat())
                for stored, due, status in await repo.posts_since(tx, guild_id, name, to_ts(since))
                if status != "claimed"
            ]
            moves = [(old, new) for old, new in moves if old != new]
            if moves and moves[0][1] > moves[0][0]:
                moves.reverse()  # eastward: move the latest first so no date is taken twice
            await repo.redate_posts(tx, guild_id, name, moves)

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
        schedule = await self._find(self.db, guild_id, name)
        async with self.db.transaction() as tx:
            text, _state, _spent = await self._next_prompt(tx, guild_id, schedule)
        if text is None:
            raise PromptInputError(
                _("Every topic is excluded here, so there is no prompt to show.")
            )
        return text

    async def _next_prompt(
        self,
        conn: repo.Conn,
        guild_id: int,
        schedule: repo.ScheduleRow | None,
        avoid: set[str] | None = None,
    ) -> tuple[PromptText | None, rotation.RotationState, list[int]]:
        """The next prompt as the timer would pick it (queued first), the rotation as it would
        be after, and the queue rows it would use up. `avoid`: prompts the server's other
        schedules post that day, left out while anything else is left."""
        row = (await repo.rotations_for(conn, [guild_id])).get(guild_id)
        state = rotation.RotationState.of(rotation.Stored(*row) if row else rotation.Stored())
        own = (await library.custom_for(conn, [guild_id])).get(guild_id, [])
        queued = (await prompt_queue.queued_for(conn, [guild_id])).get(guild_id, [])
        taken = queue.take(queued, self.content.prompts, {c.key: c for c in own}, state)
        if taken.text is not None:
            return taken.text, state, taken.spent
        excluded = (await library.excluded_for(conn, [guild_id])).get(guild_id, set())
        keys = rotation.eligible_keys(self.content.prompts, own, excluded)
        topics = rotation.topics_of(schedule.topics) if schedule is not None else None
        if topics is not None:
            keys = rotation.within_topics(keys, self.content.prompts, own, topics)
        if avoid:
            keys = [k for k in keys if k not in avoid] or keys
        key = rotation.pick(guild_id, state, keys)
        text = (
            None
            if key is None
            else rotation.prompt_text(key, self.content.prompts, {c.key: c for c in own})
        )
        return text, state, taken.spent  # fmt: skip

    async def claim_now(self, guild_id: int, name: str | None = None) -> PostJob:
        """Claim today's post for an immediate send; the scheduled one for today then stands down."""
        now = self.clock.now()
        async with self.db.transaction() as tx:
            schedule = await self._find(tx, guild_id, name)
            if schedule is None:
                raise PromptInputError(
                    _(
                        "Daily prompts aren't set up here yet. Run /prompts setup first, so I "
                        "know which channel to post in."
                    )
                )
            rule = rule_of(schedule)
            today = now.astimezone(rule.tz).date()
            existing = await repo.get_post(tx, guild_id, today.isoformat(), schedule.name)
            if existing is not None and existing.status != "failed":
                raise _already_posted()
            avoid = await repo.keys_posted_on(tx, guild_id, today.isoformat())
            text, state, spent = await self._next_prompt(tx, guild_id, schedule, avoid)
            if text is None:
                raise PromptInputError(
                    _("Every topic is excluded here, so there is no prompt to post.")
                )
            won = await repo.claim_posts(
                tx, [(guild_id, schedule.name, today.isoformat(), schedule.channel_id, text.key,
                      to_ts(now), to_ts(now))]
            )  # fmt: skip
            if (guild_id, schedule.name) not in won:  # the timer's claim elsewhere came first
                raise _already_posted()
            stored = state.stored()
            await repo.save_rotations(
                tx, [(guild_id, stored.sequence, stored.deck)],
                [(guild_id, stored.reached, stored.used)],
            )  # fmt: skip
            await prompt_queue.remove(tx, spent)
            if schedule.next_run_utc is not None and schedule.next_local_date == today.isoformat():
                following = rule.next_after(now, after_date=today)
                await repo.move_schedules(
                    tx, [(to_ts(following.at_utc), following.local_date.isoformat(),
                          today.isoformat(), schedule.id, schedule.next_run_utc)]
                )  # fmt: skip
        await self._changed()
        return PostJob(
            guild_id=guild_id,
            local_date=today,
            channel_id=schedule.channel_id,
            prompt=text,
            use_thread=schedule.use_thread,
            pin=schedule.pin,
            with_excerpt=schedule.with_excerpt,
            schedule_name=schedule.name,
            schedule_id=schedule.id,
            claimed_utc=to_ts(now),
        )


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


def _already_posted() -> PromptInputError:
    return PromptInputError(
        _(
            "Today's prompt is already posted (one a day keeps it calm). The next "
            "one comes at the scheduled time; /prompts status shows when."
        )
    )
