"""The SQLite file before a connection opens it: created private (its rows include pending
suggestion and question text), refused when a newer Mutual wrote it, and reported damaged with
what the operator can do about it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from bot.db.schema import available_migrations, too_new

FILE_MODE = 0o600  # the database holds pending suggestion and question text
RESTORE_HINT = (
    "Stop the bot, move the damaged file aside and restore your latest backup in its place "
    '(see "Where data lives" in README.md)'
)


class DatabaseDamagedError(RuntimeError):
    """The file is not a readable SQLite database, or its pages fail SQLite's own check."""

    def __init__(self, path: Path | str, detail: str) -> None:
        # SQLite's integrity report can span lines; the operator's error stays one line.
        detail = " ".join(detail.split())
        super().__init__(f"The database {path} is damaged ({detail}). {RESTORE_HINT}.")


def private_file(path: Path | str) -> None:
    """Create the database 0600 before SQLite does (its -wal and -shm copy the file's mode).

    An existing file is never opened here, only chmod-ed: closing any descriptor of the file
    drops every POSIX lock this process holds on it, SQLite's included, and in WAL mode the
    shared lock each connection keeps is how a closing connection knows it is not the last.
    Without it, another process's check-in could checkpoint and reset the log under a running
    bot, which corrupts the file.
    """
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return
    target = Path(path)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for companion in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(companion.stat().st_mode) & 0o077:
                companion.chmod(FILE_MODE)


def check_schema_version(path: Path | str) -> None:
    """Refuse, before anything connects, a database written by a newer Mutual."""
    if not Path(path).exists():
        return
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(path, str(exc)) from None
    finally:
        conn.close()
    latest = len(available_migrations())
    if current > latest:
        raise too_new(str(path), current, latest)
