"""Storage for discussions, anonymous questions, blocks and question times (plain SQL).

Times are stored as UTC ISO strings ("2025-01-31T18:00:00Z"), which sort like the instants they
name, so the partial indexes on `close_at`, `starts_at` and `remind_at` serve the timers directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.db.shards import ShardSet, shard_filter
from bot.db.storage import Row, Storage

OPEN_STATES = ("opening", "open")


def to_db(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_db(text: str | None) -> datetime | None:
    if text is None:
        return None
    if len(text) == 20 and text[10] == "T" and text[19] == "Z":
        # Read for every row of a member's data; `strptime` costs thirty times as much.
        return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class DiscussionRow:
    id: int
    guild_id: int
    channel_id: int
    thread_id: int | None
    state: str
    source_kind: str
    source_id: str
    guide_id: str | None
    title: str
    duration_minutes: int
    slowmode_seconds: int
    timezone: str | None
    starts_at: datetime | None
    remind_at: datetime | None
    announce_message_id: int | None
    opened_at: datetime | None
    close_at: datetime | None
    closed_at: datetime | None


_DISCUSSION_COLUMNS = (
    "id, guild_id, channel_id, thread_id, state, source_kind, source_id, guide_id, title, "
    "duration_minutes, slowmode_seconds, timezone, starts_at, remind_at, announce_message_id, "
    "opened_at, close_at, closed_at"
)


def _discussion(row: Row) -> DiscussionRow:
    values: dict[str, Any] = dict(zip(row.keys(), row, strict=True))
    for key in ("starts_at", "remind_at", "opened_at", "close_at", "closed_at"):
        values[key] = from_db(values[key])
    return DiscussionRow(**values)


# -- discussions -------------------------------------------------------------------------------


async def create_discussion(
    db: Storage,
    *,
    guild_id: int,
    channel_id: int,
    state: str,
    source_kind: str,
    source_id: str,
    guide_id: str | None,
    title: str,
    duration_minutes: int,
    slowmode_seconds: int,
    timezone: str | None = None,
    starts_at: datetime | None = None,
    remind_at: datetime | None = None,
) -> int:
    return await db.insert(
        """
        INSERT INTO discussions (guild_id, channel_id, state, source_kind, source_id, guide_id,
            title, duration_minutes, slowmode_seconds, timezone, starts_at, remind_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            guild_id,
            channel_id,
            state,
            source_kind,
            source_id,
            guide_id,
            title,
            duration_minutes,
            slowmode_seconds,
            timezone,
            to_db(starts_at) if starts_at else None,
            to_db(remind_at) if remind_at else None,
        ),
    )


async def count_in_guild(db: Storage, guild_id: int) -> int:
    """How many discussions a server has had; used to rotate through guide questions."""
    return int(
        await db.fetchval("SELECT COUNT(*) FROM discussions WHERE guild_id = ?", (guild_id,)) or 0
    )


async def get_discussion(db: Storage, discussion_id: int) -> DiscussionRow | None:
    row = await db.fetchone(
        f"SELECT {_DISCUSSION_COLUMNS} FROM discussions WHERE id = ?", (discussion_id,)
    )
    return _discussion(row) if row else None


async def discussion_by_thread(db: Storage, thread_id: int) -> DiscussionRow | None:
    row = await db.fetchone(
        f"SELECT {_DISCUSSION_COLUMNS} FROM discussions WHERE thread_id = ?", (thread_id,)
    )
    return _discussion(row) if row else None


async def discussions_in(
    db: Storage, guild_id: int, states: tuple[str, ...]
) -> list[DiscussionRow]:
    marks = ", ".join("?" for _ in states)
    rows = await db.fetchall(
        f"""
        SELECT {_DISCUSSION_COLUMNS} FROM discussions
        WHERE guild_id = ? AND state IN ({marks})
        ORDER BY COALESCE(starts_at, opened_at), id
        """,
        (guild_id, *states),
    )
    return [_discussion(row) for row in rows]


async def mark_opened(
    db: Storage, discussion_id: int, *, thread_id: int, opened_at: datetime, close_at: datetime
) -> None:
    await db.execute(
        """
        UPDATE discussions SET state = 'open', thread_id = ?, opened_at = ?, close_at = ?,
            remind_at = NULL
        WHERE id = ?
        """,
        (thread_id, to_db(opened_at), to_db(close_at), discussion_id),
    )


async def set_state(db: Storage, discussion_id: int, state: str) -> None:
    await db.execute("UPDATE discussions SET state = ? WHERE id = ?", (state, discussion_id))


async def delete_discussion(db: Storage, discussion_id: int) -> None:
    await db.execute("DELETE FROM discussions WHERE id = ?", (discussion_id,))


async def set_announcement(db: Storage, discussion_id: int, message_id: int | None) -> None:
    await db.execute(
        "UPDATE discussions SET announce_message_id = ? WHERE id = ?", (message_id, discussion_id)
    )


async def claim_close(db: Storage, discussion_id: int, now: datetime) -> bool:
    """Move an open discussion to closed; False if it was already closed (exactly once)."""
    changed = await db.execute(
        """
        UPDATE discussions SET state = 'closed', closed_at = ?, close_pending = 1
        WHERE id = ? AND state = 'open'
        """,
        (to_db(now), discussion_id),
    )
    return changed == 1


async def close_done(db: Storage, discussion_id: int) -> None:
    await db.execute("UPDATE discussions SET close_pending = 0 WHERE id = ?", (discussion_id,))


async def interrupted(db: Storage, shards: ShardSet | None = None) -> list[DiscussionRow]:
    """Openings without a thread and closes not yet posted: what a stop left half done (of this
    process's servers: another process's half-done step may still be running)."""
    where, params = shard_filter(shards)
    rows = await db.fetchall(
        f"""
        SELECT {_DISCUSSION_COLUMNS} FROM discussions
        WHERE ((state = 'opening' AND thread_id IS NULL)
               OR (state = 'closed' AND close_pending = 1)){where}
        ORDER BY id
        """,
        params,
    )
    return [_discussion(row) for row in rows]


async def thread_ids_in(db: Storage, channel_id: int) -> set[int]:
    rows = await db.fetchall(
        "SELECT thread_id FROM discussions WHERE channel_id = ? AND thread_id IS NOT NULL",
        (channel_id,),
    )
    return {int(row[0]) for row in rows}


async def cancel_scheduled(db: Storage, discussion_id: int, guild_id: int) -> bool:
    changed = await db.execute(
        """
        UPDATE discussions SET state = 'cancelled', remind_at = NULL
        WHERE id = ? AND guild_id = ? AND state = 'scheduled'
        """,
        (discussion_id, guild_id),
    )
    return changed == 1


# -- timers ------------------------------------------------------------------------------------


async def next_due(db: Storage, shards: ShardSet | None = None) -> datetime | None:
    """The earliest close, start or reminder time of this process's servers; each part walks
    its own partial index in order and stops at the first entry that is ours."""
    where, params = shard_filter(shards)
    value = await db.fetchval(
        f"""
        SELECT MIN(due) FROM (
            SELECT (SELECT close_at FROM discussions WHERE state = 'open'{where}
                    ORDER BY close_at LIMIT 1) AS due
            UNION ALL SELECT (SELECT starts_at FROM discussions
                              WHERE state = 'scheduled' AND starts_at IS NOT NULL{where}
                              ORDER BY starts_at LIMIT 1)
            UNION ALL SELECT (SELECT remind_at FROM discussions
                              WHERE state = 'scheduled' AND remind_at IS NOT NULL{where}
                              ORDER BY remind_at LIMIT 1)
        ) AS due_times
        """,
        params * 3,
    )
    return from_db(value)


async def due_to_close(
    db: Storage, now: datetime, shards: ShardSet | None = None
) -> list[DiscussionRow]:
    where, params = shard_filter(shards)
    rows = await db.fetchall(
        f"""SELECT {_DISCUSSION_COLUMNS} FROM discussions
            WHERE state = 'open' AND close_at <= ?{where}""",
        (to_db(now), *params),
    )
    return [_discussion(row) for row in rows]


async def _take(tx: Any, change: str, still: str, rows: list[Row]) -> set[int]:
    """Apply `change` to the rows that are `still` as they were read, and return their ids:
    a row another process took meanwhile (two processes on one shard during a move) is not
    returned, whatever the database's isolation level."""
    won: set[int] = set()
    ids = [int(row["id"]) for row in rows]
    for start in range(0, len(ids), 500):
        among, params = tx.in_ids("id", ids[start : start + 500])
        taken = await tx.fetchall(
            f"UPDATE discussions SET {change} WHERE {among} AND {still} RETURNING id", params
        )
        won.update(int(row[0]) for row in taken)
    return won


async def claim_due_starts(
    db: Storage, now: datetime, shards: ShardSet | None = None
) -> list[DiscussionRow]:
    """Scheduled discussions whose time has come, moved to 'opening' in the same transaction."""
    where, params = shard_filter(shards)
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            f"""
            SELECT {_DISCUSSION_COLUMNS} FROM discussions
            WHERE state = 'scheduled' AND starts_at <= ?{where}
            """,
            (to_db(now), *params),
        )
        won = await _take(tx, "state = 'opening', remind_at = NULL", "state = 'scheduled'", rows)
    return [_discussion(row) for row in rows if row["id"] in won]


async def claim_stuck_openings(
    db: Storage, cutoff: datetime, shards: ShardSet | None = None
) -> list[DiscussionRow]:
    """Scheduled openings claimed before `cutoff` that never got a thread (the bot stopped
    mid-way); marked failed so they are reported once instead of waiting forever."""
    where, params = shard_filter(shards)
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            f"""
            SELECT {_DISCUSSION_COLUMNS} FROM discussions
            WHERE state = 'opening' AND thread_id IS NULL AND starts_at < ?{where}
            """,
            (to_db(cutoff), *params),
        )
        won = await _take(tx, "state = 'failed'", "state = 'opening'", rows)
    return [_discussion(row) for row in rows if row["id"] in won]


async def claim_due_reminders(
    db: Storage, now: datetime, shards: ShardSet | None = None
) -> list[DiscussionRow]:
    where, params = shard_filter(shards)
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            f"""
            SELECT {_DISCUSSION_COLUMNS} FROM discussions
            WHERE state = 'scheduled' AND remind_at <= ?{where}
            """,
            (to_db(now), *params),
        )
        won = await _take(tx, "remind_at = NULL", "remind_at IS NOT NULL", rows)
    return [_discussion(row) for row in rows if row["id"] in won]
