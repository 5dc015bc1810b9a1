"""`backup`, `rotate-secret`, `forget-user` and `forget-guild`: the operator's hands on stored data,
through the same contracts the running bot uses."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.common import settings_or_exit
from bot.config import Settings
from bot.logs import setup_logging

PG_BACKUP = (
    "The data is in PostgreSQL ({where}), not in a file Mutual can copy. Back it up with the\n"
    "server's own tool, which takes a consistent copy while the bot keeps running:\n"
    '  pg_dump --format=custom --file=mutual-$(date +%F).dump "$MUTUAL_DATABASE_URL"\n'
    "and restore into an empty database with:\n"
    '  pg_restore --dbname="$MUTUAL_DATABASE_URL" mutual-YYYY-MM-DD.dump\n'
    "Keep the secret (MUTUAL_SECRET or secret.key) beside the dump: keyed data needs it."
)


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.db.connection import backup_database

    settings = settings_or_exit()
    if settings.database_url:
        print(PG_BACKUP.format(where=settings.database_where), file=sys.stderr)
        return 2
    if not settings.database_path.exists():
        print(f"There is no database at {settings.database_path} yet.", file=sys.stderr)
        return 1
    try:
        backup_database(settings.database_path, args.path)
    except (FileExistsError, OSError) as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {settings.database_path} to {args.path}")
    return 0


def cmd_rotate_secret(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    setup_logging(settings.log_level, settings.log_format)
    return asyncio.run(_rotate_secret(settings, confirmed=args.yes))


async def _rotate_secret(settings: Settings, *, confirmed: bool) -> int:
    from bot.db import open_storage
    from bot.db.keyed_data import count_keyed_rows
    from bot.keyed_secret import rotate_secret

    db = await open_storage(settings.database_path, settings.database_url)
    try:
        await db.check_integrity()
        await db.migrate()
        kept = await count_keyed_rows(db)
        listed = ", ".join(f"{count} {kind}" for kind, count in kept.items()) or "nothing"
        if not confirmed:
            print(
                f"This drops the data keyed with the current secret ({listed}) and starts with "
                "a new secret. Everything else stays. Run again with --yes to do it."
            )
            return 1
        await rotate_secret(db, settings)
    finally:
        await db.close()
    where = settings.secret_file or "MUTUAL_SECRET (now adopted)"
    print(f"Dropped {listed}. The secret in force is in {where}; back it up with the database.")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    """forget-user and forget-guild: one id, deleted everywhere, and a list of what went."""
    settings = settings_or_exit()
    setup_logging(settings.log_level, settings.log_format)
    if args.command == "forget-user":
        removed = asyncio.run(_forget(settings, user_id=args.id))
        print(f"Forgot member {args.id} in every server:")
    else:
        removed = asyncio.run(_forget(settings, guild_id=args.id))
        print(f"Deleted everything kept for server {args.id}:")
    _print_removed(removed, on_postgres=bool(settings.database_url))
    return 0


def _print_removed(removed: dict[str, int], *, on_postgres: bool = False) -> None:
    for feature, count in removed.items():
        print(f"  {feature}: {count} row(s) removed or unlinked")
    if on_postgres:
        print("PostgreSQL frees the deleted rows' space at its next vacuum (autovacuum).")
    else:
        print("The database was checkpointed: no copy stays in its write-ahead log.")


async def _forget(
    settings: Settings, *, user_id: int | None = None, guild_id: int | None = None
) -> dict[str, int]:
    """The same contracts the running bot deletes through, without connecting to Discord."""
    from bot.clock import SystemClock
    from bot.content import load_content
    from bot.content.loader import default_seeds_dir
    from bot.db import open_storage
    from bot.keyed_secret import guard_secret
    from bot.services.lifecycle import DataLifecycle, build_registry
    from bot.services.privacy import KeyedHasher

    content = load_content(settings.content_dir, seeds_dir=default_seeds_dir(settings.content_dir))
    db = await open_storage(settings.database_path, settings.database_url)
    try:
        await db.check_integrity()
        await db.migrate()
        # Keyed hashes made with another secret would not match: refuse rather than miss them.
        await guard_secret(db, settings)
        lifecycle = DataLifecycle(
            db,
            build_registry(db, KeyedHasher(settings.secret), content),
            SystemClock(),
            guild_retention_days=settings.guild_retention_days,
            history_retention_days=settings.history_retention_days,
        )
        if user_id is not None:
            return await lifecycle.forget_user(user_id)
        assert guild_id is not None
        return await lifecycle.forget_guild(guild_id)
    finally:
        await db.close()
