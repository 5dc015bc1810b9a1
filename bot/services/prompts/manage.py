"""What moderators do to a server's schedule: set up, look, pause, resume, skip, post now, stop.

Every change recomputes the row's next run from the rule and the last posted local date, so a
change of time or timezone can never produce a second post for a day that already had one.
"""

from __future__ import annotations

import re
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
    def __init__(self, db: Storage, content: Content, clock: Clock, source: PromptDueSource):
        self.db = db
        self.content = content
        self.clock = clock
        self.source = source

    async def _require(self, guild_id: int) -> repo.ScheduleRow:
        schedule = await repo.get_schedule(self.db, guild_id)
        if schedule is None:
            raise PromptInputError(
                _(
                    "Daily prompts aren't set up here yet. A moderator can start them with "
                    "/prompts setup."
                )
            )
        return schedule

    async def _last_posted(self, guild_id: int, schedule: repo.ScheduleRow | None) -> date | None:
        """Claims are the record; the row's own note only matters once old claims were pruned."""
        posted = await repo.last_posted_date(self.db, guild_id)
        if posted is None and schedule is not None:
            posted = schedule.last_local_date
        return date.fromisoformat(posted) if posted else None

    async def info(self, guild_id: int) -> ScheduleInfo | None:
        schedule = await repo.get_schedule(self.db, guild_id)
        if schedule is None:
            return None
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
        return ScheduleInfo(schedule, rule, upcoming, await repo.last_post(self.db, guild_id))

    async def latest_posted(self, guild_id: int) -> PostedPrompt | None:
        """The prompt most recently posted here (today's, if any), as members saw it. Read-only."""
        for post in await repo.recent_sent_posts(self.db, guild_id, POSTED_LOOKBACK):
            text = await self._text_of(guild_id, post.prompt_key)
            if text is None:
                continue
            schedule = await repo.get_schedule(self.db, guild_id)
            zone: tzinfo = rule_of(schedule).tz if schedule is not None else UTC
            posted_on = date.fromisoformat(post.local_date)
            today = self.clock.now().astimezone(zone).date()
            return PostedPrompt(text, posted_on, today=posted_on == today)
        return None

    async def _text_of(self, guild_id: int, key: str) -> PromptText | None:
        return await text_for_key(self.db, self.content.prompts, guild_id, key)

    async def _save(self, schedule: repo.ScheduleRow) -> ScheduleInfo:
        await repo.save_schedule(self.db, schedule)
        info = await self.info(schedule.guild_id)
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
    ) -> ScheduleInfo:
        at = parse_time(time_text)
        tz = resolve_timezone(timezone)
        rule = Rule(at, tz, parse_weekdays(weekdays))
        current = await repo.get_schedule(self.db, guild_id)
        if current is not None and current.timezone != tz.key:
            await self._redate_recent_posts(guild_id, tz)
        last = await self._last_posted(guild_id, current)
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
            )
        )

    async def _redate_recent_posts(self, guild_id: int, tz: ZoneInfo) -> None:
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
                for stored, due, status in await repo.posts_since(tx, guild_id, to_ts(since))
                if status != "claimed"
            ]
            moves = [(old, new) for old, new in moves if old != new]
            if moves and moves[0][1] > moves[0][0]:
                moves.reverse()  # eastward: move the latest first so no date is taken twice
            await repo.redate_posts(tx, guild_id, moves)

    async def pause(self, guild_id: int, until: str | None) -> ScheduleInfo:
        schedule = await self._require(guild_id)
        if until is None or not until.strip():
            return await self._save(
                replace(schedule, next_run_utc=None, next_local_date=None,
                        paused_reason=PAUSED_BY_MODERATOR, paused_until=None, pause_notified=True)
            )  # fmt: skip
        rule = rule_of(schedule)
        today = self.clock.now().astimezone(rule.tz).date()
        resume_on = parse_until(until, today)
        last = await self._last_posted(guild_id, schedule)
        after_date = resume_on - timedelta(days=1)
        if last is not None and last > after_date:
            after_date = last
        run = rule.next_after(self.clock.now(), after_date=after_date)
        return await self._save(
            replace(schedule, next_run_utc=to_ts(run.at_utc), next_local_date=run.local_date.isoformat(),
                    paused_reason=_stored_until(resume_on),
                    paused_until=resume_on.isoformat(), pause_notified=True)
        )  # fmt: skip

    async def resume(self, guild_id: int) -> ScheduleInfo:
        schedule = await self._require(guild_id)
        if schedule.paused_reason is None:
            raise PromptInputError(_("Daily prompts aren't paused here; nothing to resume."))
        run = self._next(
            rule_of(schedule), self.clock.now(), await self._last_posted(guild_id, schedule)
        )
        return await self._save(
            replace(schedule, next_run_utc=to_ts(run.at_utc), next_local_date=run.local_date.isoformat(),
                    paused_reason=None, paused_until=None, pause_notified=False)
        )  # fmt: skip

    async def skip(self, guild_id: int) -> tuple[Run, ScheduleInfo]:
        schedule = await self._require(guild_id)
        if schedule.next_run_utc is None or not schedule.next_local_date:
            raise PromptInputError(_("Posting is paused, so there is no next prompt to skip."))
        skipped = Run(from_ts(schedule.next_run_utc), date.fromisoformat(schedule.next_local_date))
        run = rule_of(schedule).next_after(skipped.at_utc, after_date=skipped.local_date)
        info = await self._save(
            replace(schedule, next_run_utc=to_ts(run.at_utc), next_local_date=run.local_date.isoformat())
        )  # fmt: skip
        return skipped, info

    async def off(self, guild_id: int) -> bool:
        return await repo.delete_schedule(self.db, guild_id)

    async def preview(self, guild_id: int) -> PromptText:
        async with self.db.transaction() as tx:
            text, _state, _spent = await self._next_prompt(tx, guild_id)
        if text is None:
            raise PromptInputError(
                _("Every topic is excluded here, so there is no prompt to show.")
            )
        return text

    async def _next_prompt(
        self, conn: repo.Conn, guild_id: int
    ) -> tuple[PromptText | None, rotation.RotationState, list[int]]:
        """The next prompt as the timer would pick it (queued first), the rotation as it would
        be after, and the queue rows it would use up."""
        state = rotation.RotationState.load(
            *(await repo.rotations_for(conn, [guild_id])).get(guild_id, ("", ""))
        )
        own = (await library.custom_for(conn, [guild_id])).get(guild_id, [])
        queued = (await prompt_queue.queued_for(conn, [guild_id])).get(guild_id, [])
        taken = queue.take(queued, self.content.prompts, {c.key: c for c in own}, state)
        if taken.text is not None:
            return taken.text, state, taken.spent
        excluded = (await library.excluded_for(conn, [guild_id])).get(guild_id, set())
        keys = rotation.eligible_keys(self.content.prompts, own, excluded)
        key = rotation.pick(guild_id, state, keys)
        text = (
            None
            if key is None
            else rotation.prompt_text(key, self.content.prompts, {c.key: c for c in own})
        )
        return text, state, taken.spent  # fmt: skip

    async def claim_now(self, guild_id: int) -> PostJob:
        """Claim today's post for an immediate send; the scheduled one for today then stands down."""
        now = self.clock.now()
        async with self.db.transaction() as tx:
            schedule = await repo.get_schedule(tx, guild_id)
            if schedule is None:
                raise PromptInputError(
                    _(
                        "Daily prompts aren't set up here yet. Run /prompts setup first, so I "
                        "know which channel to post in."
                    )
                )
            rule = rule_of(schedule)
            today = now.astimezone(rule.tz).date()
            existing = await repo.get_post(tx, guild_id, today.isoformat())
            if existing is not None and existing.status != "failed":
                raise PromptInputError(
                    _(
                        "Today's prompt is already posted (one a day keeps it calm). The next "
                        "one comes at the scheduled time; /prompts status shows when."
                    )
                )
            text, state, spent = await self._next_prompt(tx, guild_id)
            if text is None:
                raise PromptInputError(
                    _("Every topic is excluded here, so there is no prompt to post.")
                )
            await repo.claim_posts(
                tx, [(guild_id, today.isoformat(), schedule.channel_id, text.key, to_ts(now), to_ts(now))]
            )  # fmt: skip
            await repo.save_rotations(tx, [(guild_id, *state.dump())])
            await prompt_queue.remove(tx, spent)
            if schedule.next_run_utc is not None and schedule.next_local_date == today.isoformat():
                following = rule.next_after(now, after_date=today)
                await repo.move_schedules(
                    tx, [(to_ts(following.at_utc), following.local_date.isoformat(),
                          today.isoformat(), guild_id, schedule.next_run_utc)]
                )  # fmt: skip
        return PostJob(
            guild_id=guild_id,
            local_date=today,
            channel_id=schedule.channel_id,
            prompt=text,
            use_thread=schedule.use_thread,
            pin=schedule.pin,
            with_excerpt=schedule.with_excerpt,
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
