"""SQL for the daily prompts' posts: the claim of each (server, schedule, local date), and what
became of it (sent with its message id, failed, missed).

A claim is what makes a day's post happen exactly once: the dispatcher takes it in the same
transaction that moves the schedule on, and start-up recovery re-sends the claims that never got
a message id. The schedules themselves are in bot/db/prompts.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.db.prompts import DEFAULT_NAME, Conn
from bot.db.shards import ShardSet, shard_filter


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
    among, params = conn.in_ids("guild_id", guild_ids)
    rows = await conn.fetchall(
        f"""SELECT guild_id, schedule_name, local_date, status, prompt_key FROM prompt_posts
            WHERE {among} AND local_date >= ?""",
        (*params, since_date),
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
