"""SQL for the prompts moderators queued ahead of a server's rotation, oldest first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.db.prompts import Conn


@dataclass(frozen=True)
class Queued:
    id: int
    guild_id: int
    prompt_key: str


async def queued_for(conn: Conn, guild_ids: Sequence[int]) -> dict[int, list[Queued]]:
    """Each server's queue in order, read together for a whole batch of servers."""
    if not guild_ids:
        return {}
    among, params = conn.in_ids("guild_id", guild_ids)
    rows = await conn.fetchall(
        f"""SELECT id, guild_id, prompt_key FROM prompt_queue
            WHERE {among} ORDER BY guild_id, id""",
        params,
    )
    found: dict[int, list[Queued]] = {}
    for r in rows:
        found.setdefault(r[1], []).append(Queued(*r))
    return found


async def enqueue(conn: Conn, guild_id: int, prompt_key: str) -> bool:
    """False when that prompt is already waiting in this server's queue."""
    changed = await conn.execute(
        """
        INSERT INTO prompt_queue (guild_id, prompt_key) VALUES (?, ?)
        ON CONFLICT (guild_id, prompt_key) DO NOTHING
        """,
        (guild_id, prompt_key),
    )
    return changed > 0


async def remove(conn: Conn, ids: Iterable[int]) -> None:
    await conn.executemany("DELETE FROM prompt_queue WHERE id = ?", [(i,) for i in ids])


async def clear(conn: Conn, guild_id: int) -> int:
    return await conn.execute("DELETE FROM prompt_queue WHERE guild_id = ?", (guild_id,))
