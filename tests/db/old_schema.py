"""A database as an older release left it: every migration up to `version` applied, rows of that
schema written, so a test can check what the next migration carries over (on both dialects)."""

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import asyncpg

from bot.db.postgres import SCHEMA_TABLE
from bot.db.schema import available_migrations


def sqlite_at(path: Path, version: int, rows: Sequence[str]) -> None:
    """The SQLite file at `path` at schema `version`, with the `rows` statements run on it."""
    conn = sqlite3.connect(path)
    for number, _name, sql in available_migrations():
        if number > version:
            break
        conn.executescript(f"BEGIN;\n{sql}\n;PRAGMA user_version = {number};\nCOMMIT;")
    for statement in rows:
        conn.executescript(statement)
    conn.close()


async def postgres_at(url: str, version: int, rows: Sequence[str]) -> None:
    """The PostgreSQL database at `url` at schema `version`, with the `rows` statements run."""
    conn = await asyncpg.connect(url)
    try:
        for number, _name, sql in available_migrations("postgresql"):
            if number > version:
                break
            await conn.execute(sql)
        await conn.execute(f"CREATE TABLE {SCHEMA_TABLE} (version INTEGER NOT NULL)")
        await conn.execute(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES ({version})")
        for statement in rows:
            await conn.execute(statement)
    finally:
        await conn.close()


def newer_than(version: int, dialect: str = "sqlite") -> int:
    """How many migrations a database at `version` has still to apply."""
    return len(available_migrations(dialect)) - version
