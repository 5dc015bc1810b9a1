"""The schema's versions: the numbered migrations shipped with the code, for both dialects, and
the refusal of a database a newer Mutual wrote."""

from __future__ import annotations

import re
from importlib import resources

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class DatabaseTooNewError(RuntimeError):
    """The file was written by a newer Mutual; running old code on it could lose data."""


def available_migrations(dialect: str = "sqlite") -> list[tuple[int, str, str]]:
    """(version, file name, sql) for every migration shipped with the code, in order.

    SQLite's live in bot/db/migrations, PostgreSQL's in bot/db/migrations/postgresql under the
    same numbers and names: one schema history, written twice where the dialects differ.
    """
    folder = resources.files("bot.db") / "migrations"
    if dialect == "postgresql":
        folder = folder / "postgresql"
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, ... without gaps: {versions}")
    return found


def too_new(where: str, current: int, latest: int) -> DatabaseTooNewError:
    return DatabaseTooNewError(
        f"The database {where} is at schema version {current}, but this version of Mutual "
        f"knows only up to {latest}. Upgrade Mutual, or restore a backup made by this version."
    )
