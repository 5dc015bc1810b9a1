"""When the bot was removed from a server, so its data can be deleted after the retention period."""

from __future__ import annotations

from datetime import datetime

from bot.db.discussions import from_db, to_db
from bot.db.storage import Storage


async def record_departure(db: Storage, guild_id: int, now: datetime) -> None:
    """The first departure counts: a repeated event never pushes the deletion further away."""
    await db.execute(
        "INSERT INTO guild_departures (guild_id, left_at) VALUES (?, ?) "
        "ON CONFLICT (guild_id) DO NOTHING",
        (guild_id, to_db(now)),
    )


async def cancel_departure(db: Storage, guild_id: int) -> bool:
    return await db.execute("DELETE FROM guild_departures WHERE guild_id = ?", (guild_id,)) > 0


async def departed_before(db: Storage, cutoff: datetime) -> list[int]:
    rows = await db.fetchall(
        "SELECT guild_id FROM guild_departures WHERE left_at < ? ORDER BY left_at", (to_db(cutoff),)
    )
    return [int(row[0]) for row in rows]


async def departure_of(db: Storage, guild_id: int) -> datetime | None:
    value = await db.fetchval(
        "SELECT left_at FROM guild_departures WHERE guild_id = ?", (guild_id,)
    )
    return from_db(value)
