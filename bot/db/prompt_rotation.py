"""SQL for a server's prompt rotation: the order it goes through the prompts in, and its place
in that order.

One rotation a server, shared by all its schedules; the order is written when it changes and
the place on every pick, so they are two tables (see migration 016). What they mean is in
bot/services/prompts/rotation.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.db.prompts import Conn

RotationRow = tuple[str, str | None, int, str]
"""(order, deck, position, used past it): see migration 016 and `rotation.Stored`."""


async def rotations_for(conn: Conn, guild_ids: Sequence[int]) -> dict[int, RotationRow]:
    if not guild_ids:
        return {}
    among, params = conn.in_ids("r.guild_id", guild_ids)
    rows = await conn.fetchall(
        f"""SELECT r.guild_id, r.sequence, r.deck, COALESCE(p.reached, 0), COALESCE(p.used, '')
            FROM prompt_rotation AS r
            LEFT JOIN prompt_rotation_place AS p ON p.guild_id = r.guild_id
            WHERE {among}""",
        params,
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
