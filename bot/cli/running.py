"""`run` and `sync`: the commands that connect to Discord, after checking what an operator can fix
(content, the database, the secret) in plain words first."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

import discord

from bot.cli.common import NO_TOKEN, point_at_api, settings_or_exit
from bot.config import Settings
from bot.connecting import login_patiently
from bot.content import Content
from bot.logs import setup_logging
from bot.memory import freeze_startup_objects

log = logging.getLogger("bot")


def _preflight(settings: Settings) -> Content:
    """Problems an operator can fix are reported in plain words before connecting to Discord."""
    from bot.content import load_content
    from bot.content.loader import default_seeds_dir
    from bot.db.sqlite_file import check_schema_version

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
        freeze_startup_objects()  # setup_hook has run: the long-lived objects are made
        await bot.connect()
    # connect() returns as soon as the gateway closes; finish the rest of the shutdown
    # (timers, queued posts, database) before the event loop goes away.
    for task in closing:
        await task
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    setup_logging(settings.log_level, settings.log_format)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    content = _preflight(settings)
    point_at_api(settings)
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
    settings = settings_or_exit()
    setup_logging(settings.log_level, settings.log_format)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    point_at_api(settings)
    guild_id = args.guild if args.guild is not None else None
    return asyncio.run(_sync(settings, guild_id))


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
