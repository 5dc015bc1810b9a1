"""Per-server settings with registered defaults: a server that never ran /config still works."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.db.storage import Storage

AnonymousMode = Literal["off", "direct", "reviewed"]
ANONYMOUS_MODES: tuple[AnonymousMode, ...] = ("off", "direct", "reviewed")


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    facilitator_role_id: int | None = None
    log_channel_id: int | None = None
    ground_rules: str | None = None
    resources_text: str | None = None
    anonymous_mode: AnonymousMode = "reviewed"
    country: str | None = None
    """ISO 3166-1 alpha-2 code whose help lines are shown first; None: international only."""
    excluded_notes: tuple[str, ...] = ()
    """Content-note kinds this server leaves out of what Mutual picks for it."""
    language: str | None = None
    """The language of public posts; None: the server's preferred locale, then English."""


_COLUMNS = (
    "facilitator_role_id",
    "log_channel_id",
    "ground_rules",
    "resources_text",
    "anonymous_mode",
    "country",
    "excluded_notes",
    "language",
)


def _from_column(name: str, value: Any) -> Any:
    return tuple(value.split()) if name == "excluded_notes" else value


def _to_column(name: str, value: Any) -> Any:
    return " ".join(value) if name == "excluded_notes" else value


async def get_settings(db: Storage, guild_id: int) -> GuildSettings:
    row = await db.fetchone(
        f"SELECT {', '.join(_COLUMNS)} FROM guild_settings WHERE guild_id = ?", (guild_id,)
    )
    if row is None:
        return GuildSettings(guild_id=guild_id)
    return GuildSettings(
        guild_id=guild_id, **{name: _from_column(name, row[name]) for name in _COLUMNS}
    )


async def update_settings(db: Storage, guild_id: int, **changes: Any) -> GuildSettings:
    """Upsert only the named columns; unknown names are a programming error."""
    unknown = set(changes) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"unknown guild settings: {sorted(unknown)}")
    if "anonymous_mode" in changes and changes["anonymous_mode"] not in ANONYMOUS_MODES:
        raise ValueError(f"anonymous_mode must be one of {ANONYMOUS_MODES}")
    if not changes:
        return await get_settings(db, guild_id)
    # Only the named columns are written, in the same statement that reads nothing: two changes
    # to different settings at the same moment both stand.
    names = list(changes)
    async with db.transaction() as tx:
        await tx.execute(
            f"""
            INSERT INTO guild_settings (guild_id, {", ".join(names)}, updated_at)
            VALUES (?, {", ".join("?" for _ in names)}, ?)
            ON CONFLICT (guild_id) DO UPDATE SET
                {", ".join(f"{name} = excluded.{name}" for name in names)},
                updated_at = excluded.updated_at
            """,
            (
                guild_id,
                *(_to_column(name, value) for name, value in changes.items()),
                datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            ),
        )
        row = await tx.fetchone(
            f"SELECT {', '.join(_COLUMNS)} FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
    assert row is not None
    return GuildSettings(
        guild_id=guild_id, **{name: _from_column(name, row[name]) for name in _COLUMNS}
    )


async def forget_guild(db: Storage, guild_id: int) -> int:
    return await db.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
