"""SQL for the daily prompts' schedules, and what every prompt repository shares.

Functions take anything with the Storage/Transaction query methods (`Conn`), so the dispatcher
can run its read-decide-write in one `BEGIN IMMEDIATE` transaction and commands can use plain
calls. The other prompt tables have modules of their own: posts and their claims
(prompt_posts.py), the rotation (prompt_rotation.py), a server's own prompts and suggestions
(prompt_library.py), the queue (prompt_queue.py) and the role to ping (prompt_pings.py);
`forget_guild` here clears all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.db.shards import ShardSet, shard_filter
from bot.db.storage import Queries, Row, Step, Storage

Conn = Queries  # the name the prompt repositories share for a connection or transaction

DEFAULT_NAME = "daily"
"""The name of a server's first schedule, and of every schedule from before names."""


@dataclass(frozen=True)
class ScheduleRow:
    guild_id: int
    channel_id: int
    local_time: str
    timezone: str
    weekdays: int = 127
    use_thread: bool = True
    pin: bool = False
    with_excerpt: bool = False
    next_run_utc: int | None = None
    next_local_date: str | None = None
    last_local_date: str | None = None
    paused_reason: str | None = None
    paused_until: str | None = None
    pause_notified: bool = False
    name: str = DEFAULT_NAME
    topics: str | None = None
    """Newline-separated topic ids this schedule keeps to; None: every topic the server allows."""
    id: int = 0
    """Set by the database; 0 on a row not saved yet."""


_SCHEDULE = (
    "guild_id, channel_id, local_time, timezone, weekdays, use_thread, pin, with_excerpt, "
    "next_run_utc, next_local_date, last_local_date, paused_reason, paused_until, pause_notified, "
    "name, topics, id"
)


def _schedule(row: Row) -> ScheduleRow:
    return ScheduleRow(
        guild_id=row[0],
        channel_id=row[1],
        local_time=row[2],
        timezone=row[3],
        weekdays=row[4],
        use_thread=bool(row[5]),
        pin=bool(row[6]),
        with_excerpt=bool(row[7]),
        next_run_utc=row[8],
        next_local_date=row[9],
        last_local_date=row[10],
        paused_reason=row[11],
        paused_until=row[12],
        pause_notified=bool(row[13]),
        name=row[14],
        topics=row[15],
        id=row[16],
    )


def marks(count: int) -> str:
    return ", ".join("?" * count)


async def get_schedule(conn: Conn, guild_id: int, name: str | None = None) -> ScheduleRow | None:
    """The server's schedule of that name; without one, its first (so one-schedule servers
    never need to name it)."""
    if name is None:
        row = await conn.fetchone(
            f"SELECT {_SCHEDULE} FROM prompt_schedules WHERE guild_id = ? ORDER BY id LIMIT 1",
            (guild_id,),
        )
    else:
        row = await conn.fetchone(
            f"SELECT {_SCHEDULE} FROM prompt_schedules WHERE guild_id = ? AND name = ?",
            (guild_id, name),
        )
    return _schedule(row) if row else None


async def list_schedules(conn: Conn, guild_id: int) -> list[ScheduleRow]:
    """The server's schedules, oldest first (the first is the one used when none is named)."""
    rows = await conn.fetchall(
        f"SELECT {_SCHEDULE} FROM prompt_schedules WHERE guild_id = ? ORDER BY id", (guild_id,)
    )
    return [_schedule(r) for r in rows]


async def count_schedules(conn: Conn, guild_id: int) -> int:
    row = await conn.fetchone(
        "SELECT COUNT(*) FROM prompt_schedules WHERE guild_id = ?", (guild_id,)
    )
    return 0 if row is None else int(row[0])


async def save_schedule(conn: Conn, s: ScheduleRow, updated_at: str = "") -> None:
    """Insert or update by (server, name); `updated_at` is ISO text from the caller's clock."""
    await conn.execute(
        f"""
        INSERT INTO prompt_schedules ({_SCHEDULE.removesuffix(", id")}, updated_at)
        VALUES ({marks(17)})
        ON CONFLICT (guild_id, name) DO UPDATE SET
            channel_id = excluded.channel_id, local_time = excluded.local_time,
            timezone = excluded.timezone, weekdays = excluded.weekdays,
            use_thread = excluded.use_thread, pin = excluded.pin,
            with_excerpt = excluded.with_excerpt, next_run_utc = excluded.next_run_utc,
            next_local_date = excluded.next_local_date, last_local_date = excluded.last_local_date,
            paused_reason = excluded.paused_reason, paused_until = excluded.paused_until,
            pause_notified = excluded.pause_notified, topics = excluded.topics,
            updated_at = excluded.updated_at
        """,
        (
            s.guild_id, s.channel_id, s.local_time, s.timezone, s.weekdays, int(s.use_thread),
            int(s.pin), int(s.with_excerpt), s.next_run_utc, s.next_local_date,
            s.last_local_date, s.paused_reason, s.paused_until, int(s.pause_notified), s.name,
            s.topics, updated_at,
        ),
    )  # fmt: skip


async def schedules_for(conn: Conn, schedule_ids: Sequence[int]) -> dict[int, ScheduleRow]:
    """Schedules by id."""
    if not schedule_ids:
        return {}
    among, params = conn.in_ids("id", schedule_ids)
    rows = await conn.fetchall(f"SELECT {_SCHEDULE} FROM prompt_schedules WHERE {among}", params)
    return {r[16]: _schedule(r) for r in rows}


async def schedules_of(conn: Conn, guild_ids: Sequence[int]) -> dict[tuple[int, str], ScheduleRow]:
    """Every schedule of these servers, by (server, name)."""
    if not guild_ids:
        return {}
    among, params = conn.in_ids("guild_id", guild_ids)
    rows = await conn.fetchall(f"SELECT {_SCHEDULE} FROM prompt_schedules WHERE {among}", params)
    return {(r[0], r[14]): _schedule(r) for r in rows}


async def delete_schedule(conn: Conn, guild_id: int, name: str | None = None) -> int:
    """One schedule by name, or (no name) all of the server's; returns how many went."""
    if name is None:
        return await conn.execute("DELETE FROM prompt_schedules WHERE guild_id = ?", (guild_id,))
    return await conn.execute(
        "DELETE FROM prompt_schedules WHERE guild_id = ? AND name = ?", (guild_id, name)
    )


async def earliest_run(conn: Conn, shards: ShardSet | None = None) -> int | None:
    """The first run of this process's servers: the due index in order, first entry that is
    ours (ORDER BY ... LIMIT 1 rather than MIN, which could not stop early under a filter)."""
    where, params = shard_filter(shards)
    row = await conn.fetchone(
        f"""SELECT next_run_utc FROM prompt_schedules WHERE next_run_utc IS NOT NULL{where}
            ORDER BY next_run_utc LIMIT 1""",
        params,
    )
    return None if row is None or row[0] is None else int(row[0])


async def due_schedules(conn: Conn, now_ts: int, limit: int) -> list[ScheduleRow]:
    rows = await conn.fetchall(
        f"""SELECT {_SCHEDULE} FROM prompt_schedules
            WHERE next_run_utc IS NOT NULL AND next_run_utc <= ?
            ORDER BY next_run_utc LIMIT ?""",
        (now_ts, limit),
    )
    return [_schedule(r) for r in rows]


DueRun = tuple[int, str, str, int, int | None, str | None]
"""(id, local time, timezone, weekdays, next run, next local date): a schedule's rule and due
run, all a decision needs, so schedules sharing them share it. A plain tuple: a catch-up reads
one for every schedule."""


async def overdue_exists(conn: Conn, before_ts: int, shards: ShardSet | None = None) -> bool:
    """Whether any schedule's run is older than `before_ts` (one step down the due index)."""
    where, params = shard_filter(shards)
    row = await conn.fetchone(
        f"""SELECT 1 FROM prompt_schedules
            WHERE next_run_utc IS NOT NULL AND next_run_utc < ?{where} LIMIT 1""",
        (before_ts, *params),
    )
    return row is not None


async def runs_after(
    conn: Conn, after_id: int, limit: int, shards: ShardSet | None = None
) -> list[DueRun]:
    """The runs of the `limit` schedules after `after_id`, in id order (empty past the last).

    It walks the table itself, not the due index: a stretch of neighbouring ids is a few pages
    read and written together, and each step stays short whatever the table's size, so other
    work gets the database in between."""
    where, params = shard_filter(shards)
    rows = await conn.fetchall(
        f"""SELECT id, local_time, timezone, weekdays, next_run_utc, next_local_date
            FROM prompt_schedules WHERE id > ?{where} ORDER BY id LIMIT ?""",
        (after_id, *params, limit),
    )
    return [(row[0], row[1], row[2], row[3], row[4], row[5]) for row in rows]


async def due_schedule_ids(conn: Conn, now_ts: int, shards: ShardSet | None = None) -> list[int]:
    """Schedules that are due, in id order: claimed in that order, a batch's rows sit on
    neighbouring pages, so a catch-up writes each page about once instead of once a batch.
    With `shards`, only this process's servers, read from the due index alone (it carries
    guild_id, and the id with every entry)."""
    where, params = shard_filter(shards)
    rows = await conn.fetchall(
        f"""SELECT id FROM prompt_schedules
            WHERE next_run_utc IS NOT NULL AND next_run_utc <= ?{where} ORDER BY id""",
        (now_ts, *params),
    )
    return [int(r[0]) for r in rows]


async def move_schedules(
    conn: Conn, moves: Iterable[tuple[int, str, str | None, int, int | None]]
) -> None:
    """(next_run, next_date, posted_date or None, schedule id, expected current next_run).

    The expected value makes the move conditional: a row changed meanwhile is left alone.
    A timed pause ends here, because a paused-with-end row only comes due once the pause is over.
    """
    await conn.executemany(
        """UPDATE prompt_schedules
           SET next_run_utc = ?, next_local_date = ?,
               last_local_date = COALESCE(?, last_local_date),
               paused_reason = NULL, paused_until = NULL
           WHERE id = ? AND next_run_utc = ?""",
        moves,
    )


# (next run, its local date, schedule id, and the run and rule the move was decided from)
OverdueMove = tuple[int, str, int, int, str, str, int]


async def move_overdue(db: Storage, moves: Sequence[OverdueMove]) -> None:
    """Move schedules on past runs that are too late to post, in one short transaction.

    The rows were read outside it, so each move is conditional on everything it was decided
    from (the run and the rule): a row a moderator or another process changed meanwhile is left
    to them. One trip to the database for the whole stretch: a catch-up makes hundreds of them,
    and on a busy machine each hand-off costs more than the rows it carries.
    """
    if moves:
        await db.in_one_trip(
            [
                Step(
                    """UPDATE prompt_schedules
                       SET next_run_utc = ?, next_local_date = ?,
                           paused_reason = NULL, paused_until = NULL
                       WHERE id = ? AND next_run_utc = ?
                         AND local_time = ? AND timezone = ? AND weekdays = ?""",
                    rows=moves,
                )
            ]
        )


async def pause_schedule(conn: Conn, schedule_id: int, reason: str) -> None:
    await conn.execute(
        """UPDATE prompt_schedules SET next_run_utc = NULL, next_local_date = NULL,
               paused_reason = ?, paused_until = NULL, pause_notified = 0
           WHERE id = ?""",
        (reason, schedule_id),
    )


async def mark_pause_notified(conn: Conn, schedule_id: int) -> bool:
    """True for exactly one caller per pause, so the log channel hears about it once."""
    changed = await conn.execute(
        """UPDATE prompt_schedules SET pause_notified = 1
           WHERE id = ? AND pause_notified = 0 AND paused_reason IS NOT NULL""",
        (schedule_id,),
    )
    return changed > 0


GUILD_TABLES = (
    "prompt_schedules",
    "prompt_posts",
    "prompt_rotation",
    "prompt_rotation_place",
    "prompt_custom",
    "prompt_excluded_topics",
    "prompt_suggestions",
    "prompt_ping_roles",
    "prompt_queue",
)


async def forget_guild(conn: Conn, guild_id: int) -> int:
    removed = 0
    for table in GUILD_TABLES:
        removed += await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
    return removed
