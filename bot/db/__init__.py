"""Storage: one aiosqlite connection, numbered plain-SQL migrations, small repositories."""

from bot.db.connection import Database, DatabaseTooNewError

__all__ = ["Database", "DatabaseTooNewError"]
