"""`python -m bot doctor`: everything an operator checks when Mutual misbehaves, in one list.

Each line has a verdict (ok, warn, FAIL) and says what to do when it is not ok. The checks that
need Discord log in and connect like `sync` does (the features load without timers, so nothing
is posted), read which commands Discord has published, and work out the bot's effective
permissions in every channel a server has set Mutual up to use.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import math
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import discord

from bot.config import Settings

OK, WARN, FAIL = "ok", "warn", "FAIL"
SYSTEM_TZDATA = Path("/usr/share/zoneinfo/tzdata.zi")


@dataclass(frozen=True)
class Finding:
    verdict: str
    subject: str
    detail: str


def render(findings: list[Finding]) -> str:
    return "\n".join(f"[{f.verdict:^4}] {f.subject}: {f.detail}" for f in findings)


def healthy(findings: list[Finding]) -> bool:
    return all(f.verdict != FAIL for f in findings)


async def examine(settings: Settings, *, ready_timeout: float = 60.0) -> list[Finding]:
    findings = [
        Finding(
            OK,
            "Settings",
            f"database {settings.database_where}, content {settings.content_dir}, "
            f"logs {settings.log_level} as {settings.log_format}, health and metrics "
            + (f"on {settings.http_host}:{settings.http_port}" if settings.http_port else "off"),
        ),
        _content(settings),
        _time_zones(),
        _shards_and_rate(settings),
    ]
    database = await _database(settings)
    findings += database
    if any(f.verdict == FAIL for f in database):
        findings.append(Finding(FAIL, "Discord", "not checked until the database is usable"))
    else:
        findings += await _discord(settings, ready_timeout)
    return findings


def _shards_and_rate(settings: Settings) -> Finding:
    """Which shards this process runs, and whether its send rate fits Discord's per-token 50/s
    when every process of the bot takes the same share."""
    count, ids = settings.shard_count, settings.shard_ids
    if count is None:
        shards = "all, as many as Discord recommends (MUTUAL_SHARD_COUNT unset)"
    elif ids is None or len(ids) == count:
        shards = f"all {count} (MUTUAL_SHARD_COUNT={count})"
    else:
        shards = f"{_ranges(ids)} of {count} (MUTUAL_SHARDS)"
    rate = settings.send_rate_per_second
    detail = f"{shards}; sending at most {rate:g} request(s)/s ({settings.send_rate_source})"
    if count is None or ids is None or len(ids) == count:
        return Finding(OK, "Shards", detail)
    # With processes of this size covering every shard, the token would see this in total.
    total = rate * count / len(ids)
    detail += (
        f". Discord's 50/s is per token: the MUTUAL_SEND_RATE of all processes must add up "
        f"to less (about {total:g}/s if every process runs as many shards as this one)"
    )
    return Finding(WARN if total > 50 else OK, "Shards", detail)


def _ranges(ids: tuple[int, ...]) -> str:
    """(0, 1, 2, 5) -> "0-2,5": the MUTUAL_SHARDS spelling."""
    parts: list[str] = []
    start = previous = ids[0]
    for shard in (*ids[1:], None):
        if shard is not None and shard == previous + 1:
            previous = shard
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if shard is not None:
            start = previous = shard
    return ",".join(parts)


def _content(settings: Settings) -> Finding:
    from bot.content.loader import default_seeds_dir, validate_content

    content, problems = validate_content(
        settings.content_dir, seeds_dir=default_seeds_dir(settings.content_dir)
    )
    if problems:
        return Finding(
            FAIL,
            "Content",
            f"{len(problems)} problem(s), the first: {problems[0]}. "
            "Run `python -m bot check-content` for all of them",
        )
    return Finding(
        OK,
        "Content",
        f"{len(content.instruments)} self-checks, {len(content.prompts)} prompts, "
        f"{len(content.excerpts)} excerpts, {len(content.guides)} guides",
    )


def _time_zones() -> Finding:
    try:
        package = importlib.metadata.version("tzdata")
    except importlib.metadata.PackageNotFoundError:
        package = "not installed"
    system = "none"
    with contextlib.suppress(OSError, IndexError):
        system = SYSTEM_TZDATA.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
    try:
        zoneinfo.ZoneInfo("America/Sao_Paulo")
    except zoneinfo.ZoneInfoNotFoundError:
        return Finding(FAIL, "Time zones", "no time zone database found; install tzdata")
    return Finding(OK, "Time zones", f"tzdata package {package}, system {system}")


async def _database(settings: Settings) -> list[Finding]:
    from bot.db import Database, Storage
    from bot.db.keyed_data import stored_fingerprint
    from bot.db.schema import available_migrations
    from bot.db.sqlite_file import DatabaseDamagedError
    from bot.keyed_secret import fingerprint

    db: Storage
    if settings.database_url:
        from bot.db.postgres import DatabaseUnreachableError, PostgresDatabase

        try:
            db = await PostgresDatabase.open(settings.database_url, min_size=1, max_size=1)
        except DatabaseUnreachableError as error:
            return [Finding(FAIL, "Database", str(error))]
        latest = len(available_migrations("postgresql"))
    else:
        path = settings.database_path
        if not path.exists():
            return [
                Finding(WARN, "Database", f"none at {path} yet; it is created at the first start")
            ]
        latest = len(available_migrations())
        try:
            db = await Database.open(path)
        except DatabaseDamagedError as error:
            return [Finding(FAIL, "Database", str(error))]
    try:
        try:
            await db.check_integrity()
        except DatabaseDamagedError as error:
            return [Finding(FAIL, "Database", str(error))]
        version = await db.user_version()
        found = [_schema(version, latest, db.dialect, await db.server_version())]
        if version >= 6:  # the fingerprint's table exists from schema 6 on
            stored = await stored_fingerprint(db)
            if stored is not None and stored != fingerprint(settings.secret):
                found.append(
                    Finding(
                        FAIL,
                        "Secret",
                        "the configured secret is not the one this database's keyed data was "
                        "made with; restore the secret (MUTUAL_SECRET or secret.key)",
                    )
                )
            else:
                found.append(Finding(OK, "Secret", "matches the database"))
        return found
    finally:
        await db.close()


def _schema(version: int, latest: int, dialect: str = "sqlite", server: str = "") -> Finding:
    checked = "quick_check" if dialect == "sqlite" else "connected"
    on = f"{server}, " if server else ""
    if version > latest:
        return Finding(
            FAIL, "Database", f"schema {version} is newer than this Mutual ({latest}); upgrade"
        )
    if version < latest:
        return Finding(
            WARN,
            "Database",
            f"{on}intact; schema {version} of {latest}, updated at the next start",
        )
    return Finding(OK, "Database", f"{on}intact ({checked}), schema {version} of {latest}")


async def _discord(settings: Settings, ready_timeout: float) -> list[Finding]:
    from bot.app import MutualBot

    if not settings.token:
        return [Finding(FAIL, "Token", "DISCORD_TOKEN is not set")]
    bot = MutualBot(settings, start_timers=False)
    async with bot:
        try:
            await bot.login(settings.token)
        except discord.LoginFailure:
            return [
                Finding(
                    FAIL,
                    "Token",
                    "Discord refused the token (GET /users/@me); copy it again from the Bot "
                    "page of your application into DISCORD_TOKEN",
                )
            ]
        except (aiohttp.ClientError, TimeoutError, discord.HTTPException) as error:
            return [Finding(FAIL, "Token", f"cannot reach Discord ({error.__class__.__name__})")]
        assert bot.user is not None
        found = [Finding(OK, "Token", f"accepted: logged in as {bot.user} ({bot.user.id})")]
        found.append(await _commands(bot))
        found += await _permissions(bot, ready_timeout)
    return found


def _shard_states(bot: Any) -> Finding:
    from bot.metrics import shard_latencies

    states = [
        f"shard {shard}: {'connected' if connected else 'DISCONNECTED'}"
        + (f", {seconds * 1000:.0f} ms" if connected and math.isfinite(seconds) else "")
        for shard, seconds, connected in shard_latencies(bot)
    ]
    down = any("DISCONNECTED" in state for state in states)
    return Finding(
        FAIL if down else OK, "Shards", f"{len(states)} of {bot.shard_count}: " + "; ".join(states)
    )


def _shape(command: dict[str, Any]) -> dict[str, Any]:
    """What decides whether Discord's copy of a command is the code's: names, texts, options."""
    return {
        "name": command.get("name"),
        "description": command.get("description", ""),
        "type": command.get("type", 1),
        "required": bool(command.get("required", False)),
        "choices": [c.get("name") for c in command.get("choices") or []],
        "options": [_shape(option) for option in command.get("options") or []],
    }


async def _commands(bot: Any) -> Finding:
    published = {c.name: _shape(c.to_dict()) for c in await bot.tree.fetch_commands()}
    code = {c.name: _shape(c.to_dict(bot.tree)) for c in bot.tree.get_commands()}
    missing = sorted(set(code) - set(published))
    extra = sorted(set(published) - set(code))
    changed = sorted(n for n in set(code) & set(published) if code[n] != published[n])
    if not (missing or extra or changed):
        return Finding(OK, "Commands", f"the {len(code)} published commands match the code")
    parts = []
    if missing:
        parts.append("not published: " + ", ".join(f"/{n}" for n in missing))
    if changed:
        parts.append("changed since publishing: " + ", ".join(f"/{n}" for n in changed))
    if extra:
        parts.append("published but gone from the code: " + ", ".join(f"/{n}" for n in extra))
    return Finding(FAIL, "Commands", "; ".join(parts) + ". Run `python -m bot sync`")


async def _permissions(bot: Any, ready_timeout: float) -> list[Finding]:
    from bot.channel_needs import channel_problem
    from bot.db.overview import configured_channels

    connection = asyncio.create_task(bot.connect(reconnect=False))
    try:
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, connection}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            return [Finding(FAIL, "Gateway", "could not connect to Discord's gateway")]
        # This process sees only its shards' servers; the others are each their process's.
        owned = bot.due_shards
        configured = [
            c for c in await configured_channels(bot.db) if owned is None or owned.owns(c.guild_id)
        ]
        problems = [p for c in configured if (p := channel_problem(bot, c)) is not None]
        if problems:
            return [Finding(FAIL, "Permissions", problem) for problem in problems]
        servers = len({c.guild_id for c in configured})
        return [
            Finding(OK, "Gateway", f"connected; in {len(bot.guilds)} server(s)"),
            _shard_states(bot),
            Finding(
                OK,
                "Permissions",
                f"all in place in the {len(configured)} configured channel(s) of {servers} "
                "server(s)",
            ),
        ]
    finally:
        await bot.close()
        with contextlib.suppress(Exception):
            await connection
