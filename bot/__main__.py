"""Command line: `python -m bot [run|sync|doctor|check-content|backup|rotate-secret|forget-user|
forget-guild|sandbox]`.

Every command ends with one line on a problem an operator can fix (a damaged database, a refused
token, Discord out of reach); a traceback is kept for what is a bug.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sqlite3
import sys
from pathlib import Path

import aiohttp
import discord

from bot.config import DEFAULT_CONTENT_DIR, ConfigError, Settings, load_settings
from bot.connecting import login_patiently
from bot.content import Content
from bot.logs import setup_logging

log = logging.getLogger("bot")

NO_TOKEN = """\
Mutual needs a Discord bot token to connect.

  1. Create an application and bot at https://discord.com/developers/applications
  2. Put the token in a file named .env next to README.md:   DISCORD_TOKEN=your-token
     (or export DISCORD_TOKEN in the environment)

To try Mutual without Discord, run the local sandbox instead:

  python -m bot sandbox
"""


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _point_at_api(settings: Settings) -> None:
    if settings.api_base:
        from bot.api_base import point_discord_at

        point_discord_at(settings.api_base)


def _preflight(settings: Settings) -> Content:
    """Problems an operator can fix are reported in plain words before connecting to Discord."""
    from bot.content import load_content
    from bot.content.loader import default_seeds_dir
    from bot.db.connection import check_schema_version

    content = load_content(settings.content_dir, seeds_dir=default_seeds_dir(settings.content_dir))
    if not settings.database_url:
        check_schema_version(settings.database_path)
    asyncio.run(_check_database(settings))
    return content


async def _check_database(settings: Settings) -> None:
    """Integrity, migrations and the secret, before anything talks to Discord."""
    from bot.db import open_storage
    from bot.keyed_secret import guard_secret

    db = await open_storage(settings.database_path, settings.database_url)
    try:
        await db.check_integrity()
        await db.migrate()
        await guard_secret(db, settings)
    finally:
        await db.close()


async def _run(settings: Settings, content: Content) -> int:
    from bot.app import MutualBot

    bot = MutualBot(settings, content=content)
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def request_stop() -> None:
        if not closing:
            log.info("Shutting down...")
            closing.append(loop.create_task(bot.close()))

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, request_stop)
    async with bot:
        await login_patiently(bot, settings.token or "")
        await bot.connect()
    # connect() returns as soon as the gateway closes; finish the rest of the shutdown
    # (timers, queued posts, database) before the event loop goes away.
    for task in closing:
        await task
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    setup_logging(settings.log_level, settings.log_format)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    content = _preflight(settings)
    _point_at_api(settings)
    return asyncio.run(_run(settings, content))


async def _sync(settings: Settings, guild_id: int | None) -> int:
    from bot.app import MutualBot

    bot = MutualBot(settings, start_timers=False)
    async with bot:
        await login_patiently(bot, settings.token or "")
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            print(f"Synced {len(synced)} commands to server {guild_id} (available at once).")
        else:
            synced = await bot.tree.sync()
            print(f"Synced {len(synced)} global commands (Discord may take a while to show them).")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    setup_logging(settings.log_level, settings.log_format)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    _point_at_api(settings)
    guild_id = args.guild if args.guild is not None else None
    return asyncio.run(_sync(settings, guild_id))


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import examine, healthy, render

    settings = _settings_or_exit()
    setup_logging("WARNING", settings.log_format)
    _point_at_api(settings)
    findings = asyncio.run(examine(settings))
    print(render(findings))
    if healthy(findings):
        print("All checks passed.")
        return 0
    print("Some checks failed; each FAIL line says what to do.")
    return 1


def cmd_check_content(args: argparse.Namespace) -> int:
    from bot.content.loader import default_seeds_dir, validate_content

    root = Path(args.path) if args.path else DEFAULT_CONTENT_DIR
    seeds = Path(args.seeds) if args.seeds else default_seeds_dir(root)
    content, problems = validate_content(root, seeds_dir=seeds)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(
        f"Content OK: {len(content.instruments)} self-checks, {len(content.prompts)} prompts, "
        f"{len(content.excerpts)} excerpts from {len(content.sources)} sources, "
        f"{len(content.guides)} discussion guides"
        + ("" if seeds else " (source articles not found; verbatim check skipped)")
    )
    for locale, missing in content.missing_translations.items():
        if not missing:
            print(f"{locale}: complete")
            continue
        print(f"{locale}: {len(missing)} text(s) shown in English until translated, first:")
        for entry in missing[:5]:
            print(f"  {entry}")
    return 0


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

    settings = _settings_or_exit()
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
    settings = _settings_or_exit()
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
    settings = _settings_or_exit()
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


NO_STANDIN = (
    "The local Discord stand-in needs its extra: install it with\n"
    "  .venv/bin/pip install -e '.[standin]'\n"
    "(the README's install, `.[dev]`, includes it), then run `python -m bot sandbox` again."
)


def cmd_sandbox(args: argparse.Namespace) -> int:
    try:
        from standin.console import main as sandbox_main
    except ModuleNotFoundError as missing:
        if missing.name not in ("jsonschema", "standin"):
            raise
        print(NO_STANDIN, file=sys.stderr)
        return 2
    return sandbox_main(script=args.script)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Mutual, a peer-support bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord (the default)").set_defaults(func=cmd_run)
    sync = sub.add_parser("sync", help="publish the slash commands to Discord")
    sync.add_argument("--guild", type=int, help="sync to one server only, instantly (development)")
    sync.set_defaults(func=cmd_sync)
    doctor = sub.add_parser(
        "doctor", help="check settings, token, commands, permissions, database and content"
    )
    doctor.set_defaults(func=cmd_doctor)
    check = sub.add_parser("check-content", help="validate everything under content/")
    check.add_argument("--path", help="content folder (default: the project's content/)")
    check.add_argument("--seeds", help="folder of source articles for the verbatim check")
    check.set_defaults(func=cmd_check_content)
    backup = sub.add_parser("backup", help="online, consistent copy of the database")
    backup.add_argument("path", help="where to write the copy (must not exist)")
    backup.set_defaults(func=cmd_backup)
    rotate = sub.add_parser(
        "rotate-secret", help="start a new hashing secret, dropping the data keyed with the old"
    )
    rotate.add_argument("--yes", action="store_true", help="do it (without: only say what)")
    rotate.set_defaults(func=cmd_rotate_secret)
    forget_user = sub.add_parser(
        "forget-user", help="delete everything kept about one member, in every server, now"
    )
    forget_user.add_argument("id", type=int, help="the member's Discord user id")
    forget_user.set_defaults(func=cmd_forget)
    forget_guild = sub.add_parser("forget-guild", help="delete everything kept for a server, now")
    forget_guild.add_argument("id", type=int, help="the server's Discord id")
    forget_guild.set_defaults(func=cmd_forget)
    sandbox = sub.add_parser("sandbox", help="try Mutual locally with a stand-in for Discord")
    sandbox.add_argument("--script", help="play a scripted walk-through and exit")
    sandbox.set_defaults(func=cmd_sandbox)
    return parser


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
    from bot.db.connection import (
        RESTORE_HINT,
        DatabaseBusyError,
        DatabaseDamagedError,
        DatabaseTooNewError,
    )
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", cmd_run)
    try:
        return int(func(args))
    except Exception as error:
        line = known_failure(error)
        if line is None:
            raise
        if logging.getLogger().handlers:
            log.error("%s", line)
        else:
            print(line, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
