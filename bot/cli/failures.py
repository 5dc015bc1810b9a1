"""One line for each failure an operator can act on; anything else is a bug and keeps its
traceback."""

from __future__ import annotations

import sqlite3
import sys

import aiohttp
import discord


def _postgres_failure(error: BaseException) -> str | None:
    """PostgreSQL's errors, when it is in use (asyncpg is imported only then)."""
    asyncpg = sys.modules.get("asyncpg")
    if asyncpg is None:
        return None
    from bot.db.postgres import DatabaseUnreachableError

    if isinstance(error, DatabaseUnreachableError):
        return f"Mutual cannot start. {error}"
    if isinstance(error, asyncpg.PostgresError | asyncpg.InterfaceError):
        return (
            f"Mutual stopped: PostgreSQL could not do what was asked "
            f"({error.__class__.__name__}: {error})."
        )
    return None


def known_failure(error: BaseException) -> str | None:
    """One line for a failure the operator can act on; None for a bug (keeps its traceback)."""
    from bot.connecting import DiscordUnreachableError
    from bot.content import ContentError
    from bot.db.connection import DatabaseBusyError
    from bot.db.schema import DatabaseTooNewError
    from bot.db.sqlite_file import RESTORE_HINT, DatabaseDamagedError
    from bot.keyed_secret import SecretMismatchError

    if isinstance(error, discord.LoginFailure):
        return "Discord refused the token. Check DISCORD_TOKEN (Bot page of your application)."
    if isinstance(
        error,
        ContentError
        | DatabaseTooNewError
        | DatabaseDamagedError
        | SecretMismatchError
        | DiscordUnreachableError,
    ):
        return f"Mutual cannot start. {error}"
    if isinstance(error, DatabaseBusyError):
        return f"Mutual stopped: {error}; another program is holding the database. Try again."
    if isinstance(error, sqlite3.DatabaseError):
        return f"Mutual stopped: the database could not be used ({error}). {RESTORE_HINT}."
    postgres = _postgres_failure(error)
    if postgres is not None:
        return postgres
    if isinstance(error, discord.HTTPException):
        return f"Discord refused the request ({error.status}): {error.text or 'no reason given'}"
    if isinstance(error, aiohttp.ClientError | TimeoutError):
        return f"Cannot reach Discord ({error.__class__.__name__}). Check the network."
    if isinstance(error, OSError):
        return f"Mutual stopped: {error.strerror or error} ({error.filename or 'no file'})."
    return None
