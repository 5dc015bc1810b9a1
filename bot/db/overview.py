"""Read-only questions an operator or a moderator asks about a server: which channels Mutual is
set up to use, and what is waiting. Used by `python -m bot doctor` and /status."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.storage import Storage


@dataclass(frozen=True)
class ConfiguredChannel:
    guild_id: int
    channel_id: int
    purpose: str  # "daily prompts", "review queue" or "discussions"
    thread: bool = False
    pin: bool = False


async def configured_channels(db: Storage, guild_id: int | None = None) -> list[ConfiguredChannel]:
    """Every channel a server's settings or pending discussions point Mutual at."""
    where, params = ("WHERE guild_id = ?", (guild_id,)) if guild_id is not None else ("", ())
    found: list[ConfiguredChannel] = []
    for row in await db.fetchall(
        f"SELECT guild_id, channel_id, use_thread, pin FROM prompt_schedules {where}", params
    ):
        found.append(ConfiguredChannel(row[0], row[1], "daily prompts", bool(row[2]), bool(row[3])))
    log_where = "WHERE log_channel_id IS NOT NULL" + (" AND guild_id = ?" if where else "")
    for row in await db.fetchall(
        f"SELECT guild_id, log_channel_id FROM guild_settings {log_where}", params
    ):
        found.append(ConfiguredChannel(row[0], row[1], "review queue"))
    state = "state IN ('scheduled', 'opening', 'open')"
    for row in await db.fetchall(
        f"SELECT DISTINCT guild_id, channel_id FROM discussions WHERE {state}"
        + (" AND guild_id = ?" if where else ""),
        params,
    ):
        found.append(ConfiguredChannel(row[0], row[1], "discussions", thread=True))
    return found


@dataclass(frozen=True)
class Waiting:
    open_discussions: int
    scheduled_discussions: int
    waiting_questions: int
    waiting_suggestions: int


async def waiting_in(db: Storage, guild_id: int) -> Waiting:
    row = await db.fetchone(
        """
        SELECT
            (SELECT COUNT(*) FROM discussions
                WHERE guild_id = ?1 AND state IN ('opening', 'open')),
            (SELECT COUNT(*) FROM discussions WHERE guild_id = ?1 AND state = 'scheduled'),
            (SELECT COUNT(*) FROM discussion_questions WHERE guild_id = ?1 AND status = 'pending'),
            (SELECT COUNT(*) FROM prompt_suggestions WHERE guild_id = ?1 AND status = 'pending')
        """,
        (guild_id,),
    )
    assert row is not None
    return Waiting(int(row[0]), int(row[1]), int(row[2]), int(row[3]))
