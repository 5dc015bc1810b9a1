"""SQL for a server's own prompt library: custom prompts, excluded topics, suggestions.

The suggester of a pending suggestion is stored only as a keyed hash, and the suggestion is
deleted once reviewed: an approved prompt belongs to the server, not to a member.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.db.prompts import Conn

CUSTOM_PREFIX = "c:"
"""Starts the key of a server's own prompt (then its id), where built-in prompts have their id."""


@dataclass(frozen=True)
class CustomPrompt:
    id: int
    guild_id: int
    text: str
    topic: str | None
    content_warning: str | None
    origin: str = "moderator"

    @property
    def key(self) -> str:
        return f"{CUSTOM_PREFIX}{self.id}"


# A server's own prompts and excluded topics -------------------------------------------------

_CUSTOM = "id, guild_id, text, topic, content_warning, origin"


async def custom_for(conn: Conn, guild_ids: Sequence[int]) -> dict[int, list[CustomPrompt]]:
    if not guild_ids:
        return {}
    among, params = conn.in_ids("guild_id", guild_ids)
    rows = await conn.fetchall(
        f"SELECT {_CUSTOM} FROM prompt_custom WHERE {among} ORDER BY id", params
    )
    found: dict[int, list[CustomPrompt]] = {}
    for r in rows:
        found.setdefault(r[1], []).append(CustomPrompt(*r))
    return found


async def custom_prompt(conn: Conn, guild_id: int, prompt_id: int) -> CustomPrompt | None:
    row = await conn.fetchone(
        f"SELECT {_CUSTOM} FROM prompt_custom WHERE guild_id = ? AND id = ?",
        (guild_id, prompt_id),
    )
    return CustomPrompt(*row) if row else None


async def add_custom(
    conn: Conn, guild_id: int, text: str, topic: str | None, warning: str | None, origin: str
) -> int:
    return await conn.insert(
        """INSERT INTO prompt_custom (guild_id, text, topic, content_warning, origin)
           VALUES (?, ?, ?, ?, ?)""",
        (guild_id, text, topic, warning, origin),
    )


async def remove_custom(conn: Conn, guild_id: int, prompt_id: int) -> bool:
    changed = await conn.execute(
        "DELETE FROM prompt_custom WHERE guild_id = ? AND id = ?", (guild_id, prompt_id)
    )
    return changed > 0


NOTE_PREFIX = "note:"


async def excluded_for(conn: Conn, guild_ids: Sequence[int]) -> dict[int, set[str]]:
    """Each server's exclusions as one set: topic ids, and the content-note kinds it leaves out
    as `note:<id>` (ids never contain a colon), read together for a whole batch of servers."""
    if not guild_ids:
        return {}
    among, params = conn.in_ids("guild_id", guild_ids)
    rows = await conn.fetchall(
        f"""SELECT guild_id, topic, 0 FROM prompt_excluded_topics WHERE {among}
            UNION ALL
            SELECT guild_id, excluded_notes, 1 FROM guild_settings
            WHERE excluded_notes != '' AND {among}""",
        (*params, *params),
    )
    found: dict[int, set[str]] = {}
    for guild_id, value, is_notes in rows:
        values = [NOTE_PREFIX + note for note in value.split()] if is_notes else [value]
        found.setdefault(guild_id, set()).update(values)
    return found


async def set_excluded(conn: Conn, guild_id: int, topics: Iterable[str]) -> None:
    await conn.execute("DELETE FROM prompt_excluded_topics WHERE guild_id = ?", (guild_id,))
    await conn.executemany(
        "INSERT INTO prompt_excluded_topics (guild_id, topic) VALUES (?, ?)",
        [(guild_id, topic) for topic in sorted(set(topics))],
    )


# Suggestions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    id: int
    guild_id: int
    text: str
    content_warning: str | None
    status: str


_SUGGESTION = "id, guild_id, text, content_warning, status"


async def add_suggestion(
    conn: Conn, guild_id: int, member_key: str, text: str, warning: str | None
) -> int:
    return await conn.insert(
        """INSERT INTO prompt_suggestions (guild_id, member_key, text, content_warning)
           VALUES (?, ?, ?, ?)""",
        (guild_id, member_key, text, warning),
    )


async def pending_by_member(conn: Conn, guild_id: int, member_key: str) -> int:
    row = await conn.fetchone(
        """SELECT COUNT(*) FROM prompt_suggestions
           WHERE guild_id = ? AND member_key = ? AND status = 'pending'""",
        (guild_id, member_key),
    )
    return int(row[0]) if row else 0


async def pending_count(conn: Conn, guild_id: int) -> int:
    row = await conn.fetchone(
        "SELECT COUNT(*) FROM prompt_suggestions WHERE guild_id = ? AND status = 'pending'",
        (guild_id,),
    )
    return int(row[0]) if row else 0


async def next_pending(conn: Conn, guild_id: int) -> Suggestion | None:
    row = await conn.fetchone(
        f"""SELECT {_SUGGESTION} FROM prompt_suggestions
            WHERE guild_id = ? AND status = 'pending' ORDER BY id LIMIT 1""",
        (guild_id,),
    )
    return Suggestion(*row) if row else None


async def get_suggestion(conn: Conn, guild_id: int, suggestion_id: int) -> Suggestion | None:
    row = await conn.fetchone(
        f"SELECT {_SUGGESTION} FROM prompt_suggestions WHERE guild_id = ? AND id = ?",
        (guild_id, suggestion_id),
    )
    return Suggestion(*row) if row else None


async def take_suggestion(conn: Conn, guild_id: int, suggestion_id: int) -> bool:
    """Remove a pending suggestion once reviewed; only one reviewer can take it.

    Nothing is kept after review: an approved text lives on as the server's own prompt, and a
    rejected one is simply gone.
    """
    changed = await conn.execute(
        """DELETE FROM prompt_suggestions
           WHERE guild_id = ? AND id = ? AND status = 'pending'""",
        (guild_id, suggestion_id),
    )
    return changed > 0


async def suggestions_of(conn: Conn, member_key: str) -> list[Suggestion]:
    rows = await conn.fetchall(
        f"SELECT {_SUGGESTION} FROM prompt_suggestions WHERE member_key = ? ORDER BY id",
        (member_key,),
    )
    return [Suggestion(*r) for r in rows]


async def delete_suggestions_of(conn: Conn, member_key: str) -> int:
    return await conn.execute("DELETE FROM prompt_suggestions WHERE member_key = ?", (member_key,))


async def custom_page(
    conn: Conn, guild_id: int, limit: int, offset: int
) -> tuple[list[CustomPrompt], int]:
    total_row = await conn.fetchone(
        "SELECT COUNT(*) FROM prompt_custom WHERE guild_id = ?", (guild_id,)
    )
    rows = await conn.fetchall(
        f"SELECT {_CUSTOM} FROM prompt_custom WHERE guild_id = ? ORDER BY id LIMIT ? OFFSET ?",
        (guild_id, limit, offset),
    )
    return [CustomPrompt(*r) for r in rows], int(total_row[0]) if total_row else 0
