"""The one database several bot processes of a test share: chosen here, and only here.

Either a SQLite file in the test's folder (two processes on one file work: WAL, and every
claim is a `BEGIN IMMEDIATE` transaction) or, given a URL (postgresql://...), a PostgreSQL
database the processes reach through MUTUAL_DATABASE_URL, as processes on several machines do.
"""

from __future__ import annotations

from pathlib import Path

from bot.db import Storage, open_storage


class SharedDatabase:
    def __init__(self, folder: Path, url: str | None = None) -> None:
        self.path = folder / "mutual.db"
        self.url = url

    def env(self) -> dict[str, str]:
        """What each process is started with to reach the database."""
        if self.url is not None:
            return {"MUTUAL_DATABASE_URL": self.url, "MUTUAL_DATABASE": str(self.path)}
        return {"MUTUAL_DATABASE": str(self.path)}

    async def open(self) -> Storage:
        """The test's own connection, migrated, for seeding and reading back."""
        database = await open_storage(self.path, self.url)
        await database.migrate()
        return database

    def describe(self) -> str:
        return "PostgreSQL" if self.url is not None else f"SQLite at {self.path}"
