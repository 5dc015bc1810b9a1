"""The daily prompts' timer source: claim what is due exactly once, then hand it to the sender.

A server may have several named schedules; each is a row of its own with its own next run.
`run_due` reads the due rows from the index, decides each one (post, or skip if it is older than
the grace window), picks the prompt from the server's rotation (one a server, shared by its
schedules; a prompt another schedule of the server has that day is passed over), and writes all
of it (rows moved to their next local run, claims under UNIQUE(guild_id, schedule_name,
local_date), rotation) in one transaction with batched statements. Only after the commit are
the sends submitted, so a crash either loses the claim (and the row was not moved) or keeps it,
and a claimed-but-unsent post is re-sent on start-up (recovery.py). Sending, retrying and
recording a post is `PromptDelivery`'s (delivery.py); the source keeps `deliver`, `send`,
`pause_for` and `close` as its own, passing them on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.content.model import Prompt
from bot.db import Storage, prompt_posts, prompt_queue, prompt_rotation
from bot.db import prompt_library as library
from bot.db import prompts as repo
from bot.db.shards import ShardSet
from bot.services.prompts import pauses, rotation
from bot.services.prompts.delivery import RETRY_DELAYS, PromptDelivery
from bot.services.prompts.model import CustomPrompt, Poster, PostJob, PromptText, Submit
from bot.services.prompts.pacing import Stretches
from bot.services.prompts.picking import Covers, Eligible, pick_prompt
from bot.services.prompts.recovery import resend_unsent
from bot.services.prompts.rows import from_ts, job_for, rule_for, to_ts
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
# Waking up a few seconds late is not an outage: never treat it as a missed post.
MIN_GRACE = timedelta(minutes=15)
BROKEN_REASON = pauses.BROKEN


@dataclass
class _Memo:
    """What one run works out once and reuses for every server it applies to.

    After an outage 100,000 overdue schedules share at most a few thousand rules and due
    instants, and most servers the same eligible prompts: deciding each row on its own made a
    catch-up take ten times as long.
    """

    decisions: dict[tuple[str, str, int, int, str | None], Decision] = field(default_factory=dict)
    eligible: Eligible = field(default_factory=dict)
    covers: Covers = field(default_factory=dict)


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
        self.grace = grace
        self.batch_size = batch_size
        self.delivery = PromptDelivery(
            db, poster, submit, retry_delays=retry_delays, wall_clock=wall_clock
        )
        self._recovered = False

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
        missed: list[tuple[int, datetime]] = []
        while start < len(due):
            chunk = due[start : start + batches.start()]
            jobs, missed_here = await self._claim_batch(now, memo, chunk)
            for job in jobs:
                self.deliver(job)
            missed += missed_here
            batches.done(len(chunk))
            start += len(chunk)
            if start < len(due):
                await asyncio.sleep(0)  # let a waiting timer take the database before the next
        if missed:
            # One line a tick: after a long outage this can be every server at once.
            log.warning(
                "Skipped %d missed prompt(s) more than %s late, e.g. guild %s due %s",
                len(missed), self.effective_grace, missed[0][0], missed[0][1].isoformat(),
            )  # fmt: skip

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
    ) -> tuple[list[PostJob], list[tuple[int, datetime]]]:
        async with self.db.transaction() as tx:
            return await self._claim_in(tx, now, memo, schedule_ids)

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
            p.job = job_for(p.schedule, run.local_date, text, now_ts)
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
        """`picking.pick_prompt`, with the run's memo of eligible prompts."""
        return pick_prompt(
            self.prompts, guild_id, state, own, excluded, memo.eligible, memo.covers, queued,
            spent, topics=topics, avoid=avoid,
        )  # fmt: skip

    # Recovery and delivery, in modules of their own -------------------------------------------

    async def recover(self, now: datetime) -> None:
        """Re-send claims that never got a message id (see recovery.py)."""
        await resend_unsent(
            self.db, self.prompts, self.delivery, now,
            grace=self.effective_grace, batch_size=self.batch_size, shards=self.shards,
        )  # fmt: skip

    def deliver(
        self,
        job: PostJob,
        attempt: int = 0,
        *,
        check_since: datetime | None = None,
        first_try: datetime | None = None,
    ) -> Any:
        return self.delivery.deliver(job, attempt, check_since=check_since, first_try=first_try)

    async def send(
        self,
        job: PostJob,
        attempt: int = 0,
        *,
        check_since: datetime | None = None,
        first_try: datetime | None = None,
    ) -> int | None:
        """See `PromptDelivery.send`."""
        return await self.delivery.send(job, attempt, check_since=check_since, first_try=first_try)

    async def pause_for(self, job: PostJob, reason: str) -> None:
        await self.delivery.pause_for(job, reason)

    async def close(self) -> None:
        await self.delivery.close()

    @property
    def poster(self) -> Poster:
        return self.delivery.poster

    @property
    def submit(self) -> Submit:
        return self.delivery.submit

    @submit.setter
    def submit(self, submit: Submit) -> None:
        self.delivery.submit = submit

    @property
    def retry_delays(self) -> tuple[float, ...]:
        return self.delivery.retry_delays
