"""SQL for daily prompts: schedules, claims, rotation, a server's own prompts and suggestions.

Functions take anything with the Storage/Transaction query methods, so the dispatcher can run
its read-decide-write in one `BEGIN IMMEDIATE` transaction and commands can use plain calls.
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


# Schedules ----------------------------------------------------------------------------------


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
    rows = await conn.fetchall(
        f"SELECT {_SCHEDULE} FROM prompt_schedules WHERE id IN ({marks(len(schedule_ids))})",
        tuple(schedule_ids),
    )
    return {r[16]: _schedule(r) for r in rows}


async def schedules_of(conn: Conn, guild_ids: Sequence[int]) -> dict[tuple[int, str], ScheduleRow]:
    """Every schedule of these servers, by (server, name)."""
    if not guild_ids:
        return {}
    rows = await conn.fetchall(
        f"SELECT {_SCHEDULE} FROM prompt_schedules WHERE guild_id IN ({marks(len(guild_ids))})",
        tuple(guild_ids),
    )
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


# Posts (claims) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PostRow:
    guild_id: int
    local_date: str
    channel_id: int
    prompt_key: str
    due_utc: int
    status: str
    message_id: int | None
    claimed_utc: int = 0
    """When the claim was taken: no send of it can be older (`claimed_utc` is also a retake's)."""
    schedule_name: str = DEFAULT_NAME


_POST = (
    "guild_id, local_date, channel_id, prompt_key, due_utc, status, message_id, claimed_utc, "
    "schedule_name"
)


@dataclass(frozen=True)
class DayPost:
    """One claim of a server's day, as a new claim that day needs to see it."""

    status: str
    prompt_key: str


async def post_states(
    conn: Conn, guild_ids: Sequence[int], since_date: str
) -> dict[tuple[int, str, str], DayPost]:
    """Existing claims of these servers on or after `since_date`, by (guild, schedule, date)."""
    if not guild_ids:
        return {}
    rows = await conn.fetchall(
        f"""SELECT guild_id, schedule_name, local_date, status, prompt_key FROM prompt_posts
            WHERE guild_id IN ({marks(len(guild_ids))}) AND local_date >= ?""",
        (*guild_ids, since_date),
    )
    return {(r[0], r[1], r[2]): DayPost(r[3], r[4]) for r in rows}


CLAIMS_PER_STATEMENT = 500


async def claim_posts(
    conn: Conn, rows: Sequence[tuple[int, str, str, int, str, int, int]]
) -> set[tuple[int, str]]:
    """(guild, schedule name, local date, channel, prompt key, due, claimed at). A failed claim
    can be retaken.

    Returns the (guild, schedule name) pairs whose claim this call took: a day another process
    claimed first (its transaction committed while this one was deciding, as two processes
    running one shard during a move can) is not returned, and must not be sent."""
    won: set[tuple[int, str]] = set()
    # The first claim of a day wins, as it would row by row; PostgreSQL refuses one statement
    # that touches a row twice, so a repeat never reaches it.
    first: dict[tuple[int, str, str], tuple[int, str, str, int, str, int, int]] = {}
    for row in rows:
        first.setdefault((row[0], row[1], row[2]), row)
    unique = list(first.values())
    for start in range(0, len(unique), CLAIMS_PER_STATEMENT):
        chunk = unique[start : start + CLAIMS_PER_STATEMENT]
        values = ", ".join("(?, ?, ?, ?, ?, ?, ?)" for _ in chunk)
        taken = await conn.fetchall(
            f"""INSERT INTO prompt_posts (guild_id, schedule_name, local_date, channel_id,
                                         prompt_key, due_utc, claimed_utc)
                VALUES {values}
                ON CONFLICT (guild_id, schedule_name, local_date) DO UPDATE SET
                    channel_id = excluded.channel_id, prompt_key = excluded.prompt_key,
                    due_utc = excluded.due_utc, claimed_utc = excluded.claimed_utc,
                    status = 'claimed', message_id = NULL
                WHERE prompt_posts.status = 'failed'
                RETURNING guild_id, schedule_name""",
            [value for row in chunk for value in row],
        )
        won.update((int(row[0]), str(row[1])) for row in taken)
    return won


async def get_post(
    conn: Conn, guild_id: int, local_date: str, name: str = DEFAULT_NAME
) -> PostRow | None:
    row = await conn.fetchone(
        f"""SELECT {_POST} FROM prompt_posts
            WHERE guild_id = ? AND schedule_name = ? AND local_date = ?""",
        (guild_id, name, local_date),
    )
    return PostRow(*row) if row else None


async def last_post(conn: Conn, guild_id: int, name: str | None = None) -> PostRow | None:
    """The schedule's latest post; without a name, the server's latest of any schedule."""
    if name is None:
        row = await conn.fetchone(
            f"""SELECT {_POST} FROM prompt_posts WHERE guild_id = ?
                ORDER BY local_date DESC, due_utc DESC LIMIT 1""",
            (guild_id,),
        )
    else:
        row = await conn.fetchone(
            f"""SELECT {_POST} FROM prompt_posts WHERE guild_id = ? AND schedule_name = ?
                ORDER BY local_date DESC LIMIT 1""",
            (guild_id, name),
        )
    return PostRow(*row) if row else None


async def last_posted_date(conn: Conn, guild_id: int, name: str) -> str | None:
    """The schedule's latest local date that has (or is getting) its post; failed or missed days
    don't count."""
    row = await conn.fetchone(
        """SELECT MAX(local_date) FROM prompt_posts
           WHERE guild_id = ? AND schedule_name = ? AND status IN ('sent', 'claimed')""",
        (guild_id, name),
    )
    return None if row is None else row[0]


async def keys_posted_on(conn: Conn, guild_id: int, local_date: str) -> set[str]:
    """Prompts any of the server's schedules claimed for that local date (failed ones aside)."""
    rows = await conn.fetchall(
        """SELECT prompt_key FROM prompt_posts
           WHERE guild_id = ? AND local_date = ? AND status != 'failed'""",
        (guild_id, local_date),
    )
    return {r[0] for r in rows}


async def posts_since(
    conn: Conn, guild_id: int, name: str, since_utc: int
) -> list[tuple[str, int, str]]:
    """(local date, due, status) of the schedule's posts due at or after `since_utc`, oldest
    first."""
    rows = await conn.fetchall(
        """SELECT local_date, due_utc, status FROM prompt_posts
           WHERE guild_id = ? AND schedule_name = ? AND due_utc >= ? ORDER BY due_utc""",
        (guild_id, name, since_utc),
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def redate_posts(
    conn: Conn, guild_id: int, name: str, moves: Sequence[tuple[str, str]]
) -> None:
    """Re-key posts from one local date to another, in the given order; a taken date stays put."""
    for old, new in moves:
        await conn.execute(
            """UPDATE prompt_posts SET local_date = ?
               WHERE guild_id = ? AND schedule_name = ? AND local_date = ?
                 AND NOT EXISTS (SELECT 1 FROM prompt_posts AS taken
                                 WHERE taken.guild_id = ? AND taken.schedule_name = ?
                                   AND taken.local_date = ?)""",
            (new, guild_id, name, old, guild_id, name, new),
        )


async def recent_sent_posts(
    conn: Conn, guild_id: int, limit: int, name: str | None = None
) -> list[PostRow]:
    """The latest posts Discord accepted, newest first: the schedule's, or (no name) the
    server's."""
    if name is None:
        rows = await conn.fetchall(
            f"""SELECT {_POST} FROM prompt_posts WHERE guild_id = ? AND status = 'sent'
                ORDER BY local_date DESC, due_utc DESC LIMIT ?""",
            (guild_id, limit),
        )
    else:
        rows = await conn.fetchall(
            f"""SELECT {_POST} FROM prompt_posts
                WHERE guild_id = ? AND schedule_name = ? AND status = 'sent'
                ORDER BY local_date DESC LIMIT ?""",
            (guild_id, name, limit),
        )
    return [PostRow(*r) for r in rows]


async def unsent_posts(conn: Conn, shards: ShardSet | None = None) -> list[PostRow]:
    """Claims without a message id; with `shards`, only this process's (another process's
    claims in flight are its own to send)."""
    where, params = shard_filter(shards)
    rows = await conn.fetchall(
        f"SELECT {_POST} FROM prompt_posts WHERE status = 'claimed'{where} ORDER BY due_utc",
        params,
    )
    return [PostRow(*r) for r in rows]


async def record_sent(conn: Conn, rows: Iterable[tuple[int, int, str, str]]) -> None:
    """(message id, guild, schedule name, local date) for posts Discord accepted."""
    await conn.executemany(
        """UPDATE prompt_posts SET message_id = ?, status = 'sent'
           WHERE guild_id = ? AND schedule_name = ? AND local_date = ?""",
        rows,
    )


async def set_post_status(
    conn: Conn, guild_id: int, name: str, local_date: str, status: str
) -> None:
    await conn.execute(
        """UPDATE prompt_posts SET status = ?
           WHERE guild_id = ? AND schedule_name = ? AND local_date = ?""",
        (status, guild_id, name, local_date),
    )


async def set_post_statuses(conn: Conn, rows: Iterable[tuple[str, int, str, str]]) -> None:
    """(status, guild, schedule name, local date) for many posts at once."""
    await conn.executemany(
        """UPDATE prompt_posts SET status = ?
           WHERE guild_id = ? AND schedule_name = ? AND local_date = ?""",
        rows,
    )


async def prune_posts(conn: Conn, before_claimed_utc: int) -> int:
    return await conn.execute(
        "DELETE FROM prompt_posts WHERE claimed_utc < ? AND status != 'claimed'",
        (before_claimed_utc,),
    )


# Rotation -----------------------------------------------------------------------------------


RotationRow = tuple[str, str | None, int, str]
"""(order, deck, position, used past it): see migration 016 and `rotation.Stored`."""


async def rotations_for(conn: Conn, guild_ids: Sequence[int]) -> dict[int, RotationRow]:
    if not guild_ids:
        return {}
    rows = await conn.fetchall(
        f"""SELECT r.guild_id, r.sequence, r.deck, COALESCE(p.reached, 0), COALESCE(p.used, '')
            FROM prompt_rotation AS r
            LEFT JOIN prompt_rotation_place AS p ON p.guild_id = r.guild_id
            WHERE r.guild_id IN ({marks(len(guild_ids))})""",
        tuple(guild_ids),
    )
    return {r[0]: (r[1], r[2], int(r[3]), r[4]) for r in rows}


async def save_rotations(
    conn: Conn,
    orders: Iterable[tuple[int, str, str | None]],
    places: Iterable[tuple[int, int, str]],
) -> None:
    """Orders (guild, sequence, deck), written when they change, and places (guild, reached,
    used past it), written on every pick."""
    await conn.executemany(
        """INSERT INTO prompt_rotation (guild_id, sequence, used, deck) VALUES (?, ?, '', ?)
           ON CONFLICT (guild_id) DO UPDATE SET sequence = excluded.sequence,
                                                deck = excluded.deck""",
        orders,
    )
    await conn.executemany(
        """INSERT INTO prompt_rotation_place (guild_id, reached, used) VALUES (?, ?, ?)
           ON CONFLICT (guild_id) DO UPDATE SET reached = excluded.reached,
                                                used = excluded.used""",
        places,
    )


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
