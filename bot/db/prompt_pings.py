"""The role a server mentions with its daily prompt. Off unless a moderator chose one."""

from __future__ import annotations

from bot.db.prompts import Conn


async def ping_role(conn: Conn, guild_id: int) -> int | None:
    row = await conn.fetchone(
        "SELECT role_id FROM prompt_ping_roles WHERE guild_id = ?", (guild_id,)
    )
    return None if row is None else int(row[0])


async def set_ping_role(conn: Conn, guild_id: int, role_id: int | None) -> None:
    if role_id is None:
        await conn.execute("DELETE FROM prompt_ping_roles WHERE guild_id = ?", (guild_id,))
        return
    await conn.execute(
        """INSERT INTO prompt_ping_roles (guild_id, role_id) VALUES (?, ?)
           ON CONFLICT (guild_id) DO UPDATE SET role_id = excluded.role_id""",
        (guild_id, role_id),
    )
