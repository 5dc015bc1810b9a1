"""Storage: SQLite by default (one aiosqlite connection) or PostgreSQL (an asyncpg pool), numbered
plain-SQL migrations for each, and small repositories written once against `Storage`."""

from __future__ import annotations

from pathlib import Path

from bot.db.connection import Database
from bot.db.schema import DatabaseTooNewError
from bot.db.storage import Row, Step, Storage

__all__ = ["Database", "DatabaseTooNewError", "Row", "Step", "Storage", "open_storage"]


async def open_storage(path: Path | str, url: str | None = None) -> Storage:
    """PostgreSQL when a database URL is configured, otherwise the SQLite file at `path`."""
    if url:
        from bot.db.postgres import PostgresDatabase

        return await PostgresDatabase.open(url)
    return await Database.open(path)
