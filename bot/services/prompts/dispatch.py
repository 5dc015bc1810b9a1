"""The daily prompts' timer source: claim what is due exactly once, then hand it to the sender.

A server may have several named schedules; each is a row of its own with its own next run.
`run_due` reads the due rows from the index, decides each one (post, or skip if it is older than
the grace window), picks the prompt from the server's rotation (one a server, shared by its
schedules; a prompt another schedule of the server has that day is passed over), and writes all
of it (rows moved to their next local run, claims under UNIQUE(guild_id, schedule_name,
local_date), rotation) in one transaction with batched statements. Only after the commit are the sends submitted, so a crash either loses
the claim (and the row was not moved) or keeps it, and a claimed-but-unsent post is re-sent with
the same nonce on start-up. Discord only dedupes a nonce for a few minutes, so a claim older than
that is first looked for in the channel (the post may have gone out just before the crash).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.content.model import Prompt
from bot.db import Storage, prompt_posts, prompt_queue, prompt_rotation
from bot.db import prompt_library as library
from bot.db import prompts as repo
from bot.db.shards import ShardSet
from bot.sending import requests_done
from bot.services.prompts import pauses, queue, rotation
from bot.services.prompts.model import (
    ChannelGone,
    CustomPrompt,
    MissingAccess,
    Poster,
    PostError,
    PostJob,
    PromptText,
    Submit,
    TemporaryFailure,
)
from bot.services.prompts.pacing import Stretches
from bot.services.prompts.rows import from_ts, rule_for, to_ts
from bot.services.prompts.schedule import Decision, Run, decide

log = logging.getLogger(__name__)
_NONE: frozenset[str] = frozenset()

# The most schedules claimed in one transaction; fewer when they take longer than
# `pacing.TARGET_SECONDS` (see `Stretches`), so no other timer waits long for the database.
BATCH_SIZE = 500
FIRST_BATCH = 100
# The most servers a catch-up reads and moves on at a time: a stretch of neighbouring ids, so
# each stretch writes its own pages once. Sized by time as batches are; the first is small,
# since it reads from a cold cache.
SERVERS_PER_CHUNK = 8000
FIRST_CHUNK = 100
RETRY_DELAYS = (5.0, 30.0, 120.0)
# Waking up a few seconds late is not an outage: never treat it as a missed post.
MIN_GRACE = timedelta(minutes=15)
# Discord dedupes a repeated nonce for "a few minutes"; assume less, so we look rather than trust.
NONCE_WINDOW = timedelta(minutes=2)
# Our clock and Discord's may disagree a little; look a bit further back than the claim.
HISTORY_MARGIN = timedelta(minutes=1)
BROKEN_REASON = pauses.BROKEN


def pause_reason(error: ChannelGone | MissingAccess, channel_id: int) -> str:
    """Stored in English; `pauses.shown_reason` puts it in the reader's language."""
    if isinstance(error, ChannelGone):
        return pauses.CHANNEL_GONE.format(channel=f"<#{channel_id}>")
    return pauses.MISSING_PERMISSION.format(permission=error.permission, channel=f"<#{channel_id}>")


@dataclass
class _Memo:
    """What one run works out once and reuses for every server it applies to.

    After an outage 100,000 overdue schedules share at most a few thousand rules and due
    instants, and most servers the same eligible prompts: deciding each row on its own made a
    catch-up take ten times as long.
    """

    decisions: dict[tuple[str, str, int, int, str | None], Decision] = field(default_factory=dict)
    eligible: dict[
        tuple[tuple[tuple[str, str | None], ...], frozenset[str], frozenset[str] | None],
        tuple[list[str], frozenset[str]],
    ] = field(default_factory=dict)
    covers: dict[tuple[str, frozenset[str]], bool] = field(default_factory=dict)


@dataclass
class _Picked:
    schedule: repo.ScheduleRow
    decision: Decision
    job: PostJob | None


class PromptDueSource:
    name = "prompts"

    def __init__(
        self,
        db: Storage,
        prompts: Mapping[str, Prompt],
        poster: Poster,
        submit: Submit,
        *,
        grace: timedelta,
        batch_size: int = BATCH_SIZE,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        shards: ShardSet | None = None,
    ) -> None:
        self.db = db
        # This process's shards: it claims, posts and recovers only for their servers.
        self.shards = shards
        self.prompts = prompts
        self.poster = poster
        self.submit = submit
        self.grace = grace
        self.batch_size = batch_size
        self.retry_delays = tuple(retry_delays)
        # Discord's nonce window runs on real time, whatever clock the schedules use.
        self.wall_clock = wall_clock
        self._recovered = False
        self._pending_records: list[tuple[int, int, str, str]] = []
        self._record_lock = asyncio.Lock()
        self._timers: set[asyncio.Task[None]] = set()

    @property
    def effective_grace(self) -> timedelta:
        return max(self.grace, MIN_GRACE)

    async def next_due(self) -> datetime | None:
        ts = await repo.earliest_run(self.db, self.shards)
        return None if ts is None else from_ts(ts)

    async def run_due(self, now: datetime) -> None:
        if not self._recovered:
            self._recovered = True
            await self.recover(now)
        await self._catch_up(now)
        memo = _Memo()
        due = await repo.due_schedule_ids(self.db, to_ts(now), self.shards)
        batches = Stretches(FIRST_BATCH, self.batch_size)
        start = 0
        while start < len(due):
            chunk = due[start : start + batches.start()]
            for job in await self._claim_batch(now, memo, chunk):
                self.deliver(job)
            batches.done(len(chunk))
            start += len(chunk)
            if start < len(due):
                await asyncio.sleep(0)  # let a waiting timer take the database before the next

    # Claiming -------------------------------------------------------------------------------

    async def _catch_up(self, now: datetime) -> None:
        """After an outage: walk every schedule, a stretch of servers at a time, moving on each
        run that is past the grace.

        100,000 overdue schedules share at most a few thousand (rule, run) pairs, so each is
        decided once. A stretch is one read and one write, each a single trip to the database,
        sized by time (see `Stretches`) so other timers get the database in between. Runs still
        within the grace are left due: the claiming that follows (`run_due`) posts them in its
        batches. Does nothing when no run is past the grace (a normal start, a normal tick).
        """
        now_ts = to_ts(now)
        if not await repo.overdue_exists(self.db, to_ts(now - self.effective_grace), self.shards):
            return
        # Per (rule, run): where the schedule moves to, or None to leave it for claiming (a run
        # within the grace, or a rule that cannot be computed, which the claim pauses).
        moves_to: dict[tuple[str, str, int, int, str | None], tuple[int, str] | None] = {}
        stretches = Stretches(FIRST_CHUNK, SERVERS_PER_CHUNK)
        skipped, after, first = 0, -1, None
        while True:
            stretch = await repo.runs_after(self.db, after, stretches.start(), self.shards)
            if not stretch:
                break
            after = stretch[-1][0]
            moves: list[repo.OverdueMove] = []
            for row_id, local_time, timezone, weekdays, due, due_date in stretch:
                if due is None or due > now_ts:
                    continue
                same = (local_time, timezone, weekdays, due, due_date)
                if same in moves_to:
                    target = moves_to[same]
                else:
                    target = moves_to[same] = self._move_for(same, now)
                if target is None:
                    continue
                if first is None:
                    first = from_ts(due)
                moves.append((target[0], target[1], row_id, due, local_time, timezone, weekdays))
            await repo.move_overdue(self.db, moves)
            skipped += len(moves)
            stretches.done(len(stretch))
            await asyncio.sleep(0)  # let a waiting timer take the database before the next
        if first is not None:
            log.warning(
                "Skipped %d missed prompt(s) more than %s late, e.g. due %s",
                skipped, self.effective_grace, first.isoformat(),
            )  # fmt: skip

    def _move_for(
        self, due: tuple[str, str, int, int, str | None], now: datetime
    ) -> tuple[int, str] | None:
        """(next run, its local date) for a run past the grace; None for one to claim."""
        try:
            decision = self._decision(due, now)
        except Exception:
            return None  # claimed alone, where a bad row is paused
        if decision.post is not None:
            return None
        following = decision.following
        return to_ts(following.at_utc), following.local_date.isoformat()

    async def _claim_batch(
        self, now: datetime, memo: _Memo, schedule_ids: Sequence[int]
    ) -> list[PostJob]:
        async with self.db.transaction() as tx:
            jobs, missed = await self._claim_in(tx, now, memo, schedule_ids)
        if missed:
            # One line a batch: after a long outage this can be every server at once.
            log.warning(
                "Skipped %d missed prompt(s) more than %s late, e.g. guild %s due %s",
                len(missed), self.effective_grace, missed[0][0], missed[0][1].isoformat(),
            )  # fmt: skip
        return jobs

    async def _claim_in(
        self, tx: repo.Conn, now: datetime, memo: _Memo, schedule_ids: Sequence[int]
    ) -> tuple[list[PostJob], list[tuple[int, datetime]]]:
        """Claim the due ones of these schedules in `tx`: the jobs, for after its commit, and
        (server, run) for each run skipped for being past the grace (a later one may post)."""
        now_ts = to_ts(now)
        found = await repo.schedules_for(tx, schedule_ids)
        # Read again inside the transaction: a row changed since the ids were read is left
        # to whoever changed it.
        due = [s for s in found.values() if s.next_run_utc is not None and s.next_run_utc <= now_ts]
        if not due:
            return [], []
        picked: list[_Picked] = []
        for schedule in due:
            try:
                picked.append(self._decide(schedule, now, memo))
            except Exception:
                # One schedule's bad row (say, a timezone a tzdata update removed) must not
                # hold up the others: pause it with a reason a moderator can act on.
                log.exception("Guild %s has a schedule I can't compute", schedule.guild_id)
                await repo.pause_schedule(tx, schedule.id, BROKEN_REASON)
        posting = [p for p in picked if p.decision.post is not None]
        ids = sorted({p.schedule.guild_id for p in posting})
        days = [p.decision.post.local_date for p in posting if p.decision.post is not None]
        taken = await prompt_posts.post_states(tx, ids, min(days).isoformat()) if days else {}
        customs = await library.custom_for(tx, ids)
        excluded = await library.excluded_for(tx, ids)
        stored = await prompt_rotation.rotations_for(tx, ids)
        queued = await prompt_queue.queued_for(tx, ids)
        # The rotation is the server's: schedules of one server due together draw from it in
        # turn, and none posts a prompt another of its schedules has on the same day.
        states: dict[int, rotation.StoredRotation] = {}
        same_day: dict[tuple[int, str], set[str]] = {}
        for (gid, _name, day), earlier in taken.items():
            if earlier.status != "failed":
                same_day.setdefault((gid, day), set()).add(earlier.prompt_key)
        claims: list[tuple[int, str, str, int, str, int, int]] = []
        spent_by: dict[int, list[int]] = {}
        for p in posting:
            run = p.decision.post
            assert run is not None
            gid, name, day = p.schedule.guild_id, p.schedule.name, run.local_date.isoformat()
            post = taken.get((gid, name, day))
            if post is not None and post.status != "failed":
                continue  # that day already has its post (post-now, or another process)
            state = states.get(gid)
            if state is None:
                row = stored.get(gid)
                state = states[gid] = rotation.StoredRotation(
                    rotation.Stored(*row) if row else rotation.Stored()
                )
            own = customs.get(gid, [])
            posted_today = same_day.setdefault((gid, day), set())
            spent = spent_by.setdefault(gid, [])
            text = self._pick(
                gid, state, own, excluded.get(gid, _NONE), memo, queued.get(gid, []), spent,
                topics=rotation.topics_of(p.schedule.topics), avoid=posted_today,
            )  # fmt: skip
            if text is None:
                log.warning("Guild %s has no eligible prompts; nothing posted", gid)
                continue
            posted_today.add(text.key)
            p.job = self._job(p.schedule, run.local_date, text, now_ts)
            claims.append((gid, name, day, p.schedule.channel_id, text.key,
                           to_ts(run.at_utc), now_ts))  # fmt: skip
        await repo.move_schedules(
            tx,
            [
                (
                    to_ts(p.decision.following.at_utc),
                    p.decision.following.local_date.isoformat(),
                    p.job.local_date.isoformat() if p.job else None,
                    p.schedule.id,
                    p.schedule.next_run_utc,
                )
                for p in picked
            ],
        )
        won = await prompt_posts.claim_posts(tx, claims)
        # A day claimed by another process meanwhile is its post: nothing of it here, and the
        # rotation and queue stay as that process left them unless this one claimed too.
        for p in posting:
            if p.job is not None and (p.schedule.guild_id, p.schedule.name) not in won:
                p.job = None
        claimed = {gid for gid, _name in won}
        orders: list[tuple[int, str, str | None]] = []
        places: list[tuple[int, int, str]] = []
        for gid, state in states.items():
            if gid in claimed:
                order, place = state.rows()
                if order is not None:
                    orders.append((gid, order.sequence, order.deck))
                places.append((gid, place.reached, place.used))
        await prompt_rotation.save_rotations(tx, orders, places)
        await prompt_queue.remove(tx, [i for gid in claimed for i in spent_by.get(gid, [])])
        missed = [
            (p.schedule.guild_id, p.decision.missed.at_utc)
            for p in picked
            if p.decision.missed is not None
        ]
        return [p.job for p in picked if p.job is not None], missed

    def _decide(self, schedule: repo.ScheduleRow, now: datetime, memo: _Memo) -> _Picked:
        assert schedule.next_run_utc is not None
        same = (
            schedule.local_time,
            schedule.timezone,
            schedule.weekdays,
            schedule.next_run_utc,
            schedule.next_local_date,
        )
        decision = memo.decisions.get(same)
        if decision is None:
            decision = memo.decisions[same] = self._decision(same, now)
        return _Picked(schedule, decision, None)

    def _decision(self, due: tuple[str, str, int, int, str | None], now: datetime) -> Decision:
        """(local time, timezone, weekdays, next run, next local date) decided at `now`."""
        local_time, timezone, weekdays, next_run, next_date = due
        rule = rule_for(local_time, timezone, weekdays)
        at = from_ts(next_run)
        local = date.fromisoformat(next_date) if next_date else at.astimezone(rule.tz).date()
        return decide(rule, Run(at, local), now, self.effective_grace)

    def _pick(
        self,
        guild_id: int,
        state: rotation.StoredRotation,
        own: list[CustomPrompt],
        excluded: Set[str],
        memo: _Memo,
        queued: Sequence[prompt_queue.Queued] = (),
        spent: list[int] | None = None,
        *,
        topics: frozenset[str] | None = None,
        avoid: set[str] | frozenset[str] = frozenset(),
    ) -> PromptText | None:
        """What moderators queued comes first (its rows added to `spent`), then the rotation.

        `topics` is the schedule's own choice (None: every topic the server allows); `avoid` is
        what the server's other schedules post that day, left out unless nothing else is left.
        """
        if queued:
            taken = queue.take(queued, self.prompts, {c.key: c for c in own}, state.state)
            if spent is not None:
                spent.extend(taken.spent)
            if taken.text is not None:
                return taken.text
        same = (
            tuple((c.key, c.topic) for c in own) if own else (),
            excluded if isinstance(excluded, frozenset) else frozenset(excluded),
            topics,
        )
        found = memo.eligible.get(same)
        if found is None:
            keys = rotation.eligible_keys(self.prompts, own, excluded)
            if topics is not None:
                keys = rotation.within_topics(keys, self.prompts, own, topics)
            found = memo.eligible[same] = (keys, frozenset(keys))
        keys, allowed = found
        if avoid and not avoid.isdisjoint(allowed):
            keys = [k for k in keys if k not in avoid] or keys
            allowed = frozenset(keys)
        key = state.pick(guild_id, keys, allowed, memo.covers)
        if key is None:
            return None
        return rotation.prompt_text(key, self.prompts, {c.key: c for c in own} if own else {})

    def _job(
        self, schedule: repo.ScheduleRow, day: date, text: PromptText, claimed_utc: int
    ) -> PostJob:
        return PostJob(
            guild_id=schedule.guild_id,
            local_date=day,
            channel_id=schedule.channel_id,
            prompt=text,
            use_thread=schedule.use_thread,
            pin=schedule.pin,
            with_excerpt=schedule.with_excerpt,
            schedule_name=schedule.name,
            schedule_id=schedule.id,
            claimed_utc=claimed_utc,
        )

    # Start-up recovery ------------------------------------------------------------------------

    async def recover(self, now: datetime) -> None:
        """Re-send claims that never got a message id, if they are still within the grace window."""
        unsent = await prompt_posts.unsent_posts(self.db, self.shards)
        grace = self.effective_grace
        fresh = [p for p in unsent if now - from_ts(p.due_utc) <= grace]
        stale = [p for p in unsent if now - from_ts(p.due_utc) > grace]
        lost: list[prompt_posts.PostRow] = []
        for start in range(0, len(fresh), self.batch_size):
            chunk = fresh[start : start + self.batch_size]
            ids = sorted({p.guild_id for p in chunk})
            schedules = await repo.schedules_of(self.db, ids)
            customs = await library.custom_for(self.db, ids)
            for post in chunk:
                job = self._rebuild(
                    post, schedules.get((post.guild_id, post.schedule_name)), customs
                )
                if job is None:
                    lost.append(post)
                else:
                    self.deliver(job, check_since=self._check_since(post, now))
        await prompt_posts.set_post_statuses(
            self.db, [("missed", p.guild_id, p.schedule_name, p.local_date) for p in stale + lost]
        )
        if fresh:
            log.info("Re-sending %d claimed prompt(s) after a restart", len(fresh) - len(lost))
        if stale or lost:
            log.warning(
                "Skipped %d unsent prompt(s) after a restart: %d more than %s late, %d whose "
                "schedule or prompt is gone (e.g. guild %s)",
                len(stale) + len(lost), len(stale), grace, len(lost),
                (stale + lost)[0].guild_id,
            )  # fmt: skip

    @staticmethod
    def _check_since(post: prompt_posts.PostRow, now: datetime) -> datetime | None:
        """Every send of a claim comes after `claimed_utc`: a younger claim's nonce still holds."""
        claimed = from_ts(post.claimed_utc)
        return claimed - HISTORY_MARGIN if now - claimed > NONCE_WINDOW else None

    def _rebuild(
        self,
        post: prompt_posts.PostRow,
        schedule: repo.ScheduleRow | None,
        customs: Mapping[int, list[CustomPrompt]],
    ) -> PostJob | None:
        if schedule is None:
            return None
        own = {c.key: c for c in customs.get(post.guild_id, [])}
        text = rotation.prompt_text(post.prompt_key, self.prompts, own)
        if text is None:
            return None
        job = self._job(schedule, date.fromisoformat(post.local_date), text, post.claimed_utc)
        return replace(job, channel_id=post.channel_id)

    # Delivery --------------------------------------------------------------------------------

    def deliver(
        self,
        job: PostJob,
        attempt: int = 0,
        *,
        check_since: datetime | None = None,
        first_try: datetime | None = None,
    ) -> Any:
        async def run() -> None:
            await self.send(job, attempt, check_since=check_since, first_try=first_try)

        return self.submit(job.name, run)

    async def send(
        self,
        job: PostJob,
        attempt: int = 0,
        *,
        check_since: datetime | None = None,
        first_try: datetime | None = None,
    ) -> int | None:
        """One attempt; returns the message id, or None when it failed (and was handled).

        With `check_since`, a message of this post already in the channel is recorded instead.
        A retry that comes after the nonce window of the first try looks first as well: a failed
        answer (a 5xx, a timeout) does not prove Discord did not keep the message.
        """
        day = job.local_date.isoformat()
        started = self.wall_clock()
        first_try = started if first_try is None else first_try
        if check_since is None and attempt > 0 and started - first_try > NONCE_WINDOW:
            check_since = first_try - HISTORY_MARGIN
        try:
            found = await self._find_earlier(job, check_since) if check_since else None
            message_id = found or await self.poster.post(job)
        except (ChannelGone, MissingAccess) as error:
            await prompt_posts.set_post_status(
                self.db, job.guild_id, job.schedule_name, day, "failed"
            )
            await self.pause_for(job, pause_reason(error, job.channel_id))
            return None
        except TemporaryFailure as error:
            if attempt < len(self.retry_delays):
                delay = self.retry_delays[attempt]
                log.warning(
                    "Prompt for guild %s failed (%s); retrying in %.0f s",
                    job.guild_id,
                    error,
                    delay,
                )
                self._later(
                    delay,
                    lambda: self.deliver(
                        job, attempt + 1, check_since=check_since, first_try=first_try
                    ),
                )
            else:
                log.error(
                    "Prompt for guild %s failed %d times; giving up", job.guild_id, attempt + 1
                )
                await prompt_posts.set_post_status(
                    self.db, job.guild_id, job.schedule_name, day, "failed"
                )
            return None
        except PostError as error:
            log.error("Prompt for guild %s was refused: %s", job.guild_id, error)
            await prompt_posts.set_post_status(
                self.db, job.guild_id, job.schedule_name, day, "failed"
            )
            return None
        requests_done()  # the record is a database write: the next post need not wait for it
        await self._record(message_id, job, day)
        return message_id

    async def _find_earlier(self, job: PostJob, since: datetime) -> int | None:
        """A gone channel or a passing failure is handled like a failed send; a refused read
        (no Read Message History) must not stop the post, so it goes out unverified."""
        try:
            found = await self.poster.find_posted(job, since)
        except (ChannelGone, TemporaryFailure):
            raise
        except PostError as error:
            log.info(
                "Could not check guild %s's channel for an earlier %s prompt (%s); sending it "
                "without that check",
                job.guild_id, job.local_date, error,
            )  # fmt: skip
            return None
        if found is not None:
            log.info(
                "Guild %s's %s prompt was already up; recorded it", job.guild_id, job.local_date
            )
        return found

    async def pause_for(self, job: PostJob, reason: str) -> None:
        """Pause the schedule the job came from (a server's other schedules go on)."""
        guild_id = job.guild_id
        schedule = await repo.get_schedule(self.db, guild_id, job.schedule_name)
        if schedule is None:
            return
        await repo.pause_schedule(self.db, schedule.id, reason)
        log.warning("Paused daily prompts for guild %s: %s", guild_id, reason)
        if await repo.mark_pause_notified(self.db, schedule.id):
            try:
                await self.poster.notify(guild_id, pauses.NOTICE.format(reason=reason))
            except Exception:
                log.exception("Could not tell guild %s's log channel about the pause", guild_id)

    async def _record(self, message_id: int, job: PostJob, day: str) -> None:
        """Group commit: whoever gets the lock writes every id queued so far in one statement."""
        self._pending_records.append((message_id, job.guild_id, job.schedule_name, day))
        async with self._record_lock:
            if not self._pending_records:
                return
            rows, self._pending_records = self._pending_records, []
            await prompt_posts.record_sent(self.db, rows)

    def _later(self, delay: float, action: Callable[[], Any]) -> None:
        async def wait() -> None:
            await asyncio.sleep(delay)
            action()

        task = asyncio.create_task(wait())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def close(self) -> None:
        for task in list(self._timers):
            task.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
