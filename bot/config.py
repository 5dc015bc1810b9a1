"""Settings from the environment and an optional `.env` file.

Start-up fails early with one line naming the setting, because an operator reading a stack trace
at 2 a.m. should not have to guess which of a dozen variables was wrong.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = PROJECT_ROOT / "content"
DEFAULT_DATABASE = Path("data/mutual.db")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
DEFAULT_GUILD_RETENTION_DAYS = 30
# Discord allows 50 requests a second per bot token, across every process using it; the default
# leaves a margin for the requests that are not posts (interactions, edits, reads).
TOKEN_SEND_BUDGET = 45.0


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    database_path: Path  # the SQLite file; unused for data when database_url is set
    secret: bytes = field(repr=False)
    content_dir: Path
    dev_guild_id: int | None
    log_level: str
    prompt_grace_hours: float
    send_rate_per_second: float
    send_concurrency: int
    api_base: str | None
    # Where the secret lives when it is not in MUTUAL_SECRET, and whether it is a new one that
    # start-up writes there once the database has confirmed it holds no data keyed by another.
    secret_file: Path | None = None
    secret_is_new: bool = False
    log_format: str = "text"
    # A server's data is deleted this many days after the bot leaves it, unless it comes back.
    guild_retention_days: int = DEFAULT_GUILD_RETENTION_DAYS
    # Saved self-check results older than this are pruned daily; None keeps them.
    history_retention_days: int | None = None
    # /healthz and /metrics; off unless a port is set.
    http_port: int | None = None
    http_host: str = "127.0.0.1"
    # MUTUAL_DATABASE_URL: PostgreSQL instead of the SQLite file. It may hold a password: kept
    # out of repr, and shown only through `database_where`.
    database_url: str | None = field(default=None, repr=False)

    @property
    def database_where(self) -> str:
        """Where the data lives, fit for logs: the file, or the URL without its password."""
        if self.database_url:
            from bot.db.urls import redacted

            return redacted(self.database_url)
        return str(self.database_path)

    # Shards: None lets Discord recommend the count (GET /gateway/bot) and runs all of them here.
    shard_count: int | None = None
    # This process's shard ids, sorted; None means every shard of `shard_count`.
    shard_ids: tuple[int, ...] | None = None
    # Where send_rate_per_second came from: "MUTUAL_SEND_RATE", "shard share" or "default".
    send_rate_source: str = "default"

    def __repr__(self) -> str:  # never print the token or the secret
        return (
            f"Settings(database_path={self.database_path!s}, content_dir={self.content_dir!s}, "
            f"dev_guild_id={self.dev_guild_id}, log_level={self.log_level})"
        )


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines; comments, blank lines and `export ` prefixes are allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; save it as UTF-8") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a numeric Discord id (digits only)")
    return int(raw)


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum:g}")
    return value


def _whole_days(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number of days")
    return int(raw)


def _http_port(env: Mapping[str, str]) -> int | None:
    raw = env.get("MUTUAL_HTTP_PORT", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError("MUTUAL_HTTP_PORT must be a port number from 1 to 65535")
    return int(raw)


def _shard_count(env: Mapping[str, str]) -> int | None:
    raw = env.get("MUTUAL_SHARD_COUNT", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError("MUTUAL_SHARD_COUNT must be a whole number of shards, 1 or more")
    return int(raw)


def parse_shard_ids(raw: str, count: int | None) -> tuple[int, ...] | None:
    """`0-7` or `0,2,4-5`: this process's shards, checked against MUTUAL_SHARD_COUNT.

    Every process of one bot must agree on the count, or the same server would belong to two
    shards (and two processes), so a range without a count is refused rather than guessed."""
    text = raw.strip()
    if not text:
        return None
    if count is None:
        raise ConfigError(
            "MUTUAL_SHARDS needs MUTUAL_SHARD_COUNT too (the same total in every process)"
        )
    ids: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
            raise ConfigError(
                f"MUTUAL_SHARDS: {part.strip() or 'an empty part'} is not a shard id or a range "
                "(write e.g. 0-7 or 0,2,4-5)"
            )
        low = int(first)
        high = int(last) if dash else low
        if high < low:
            raise ConfigError(f"MUTUAL_SHARDS: the range {low}-{high} runs backwards")
        if high >= count:
            raise ConfigError(
                f"MUTUAL_SHARDS: shard {high} does not exist with MUTUAL_SHARD_COUNT={count} "
                f"(ids run from 0 to {count - 1})"
            )
        ids.update(range(low, high + 1))
    return tuple(sorted(ids))


def _send_rate(
    env: Mapping[str, str], count: int | None, ids: tuple[int, ...] | None
) -> tuple[float, str]:
    """MUTUAL_SEND_RATE if set; else this process's share of the token's budget.

    The budget is per token, not per process: a process running 2 of 8 shards sends at a quarter
    of it by default, so N processes splitting the shards stay under it together."""
    if env.get("MUTUAL_SEND_RATE", "").strip():
        return _number(env, "MUTUAL_SEND_RATE", TOKEN_SEND_BUDGET, minimum=0.1), "MUTUAL_SEND_RATE"
    if count is not None and ids is not None and len(ids) < count:
        return max(0.1, TOKEN_SEND_BUDGET * len(ids) / count), "shard share"
    return TOKEN_SEND_BUDGET, "default"


def _database_path(env: Mapping[str, str]) -> Path:
    raw = env.get("MUTUAL_DATABASE", "").strip()
    path = Path(raw) if raw else DEFAULT_DATABASE
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"MUTUAL_DATABASE: cannot create the folder {path.parent}: {exc.strerror}"
        ) from None
    if not os.access(path.parent, os.W_OK):
        raise ConfigError(f"MUTUAL_DATABASE: the folder {path.parent} is not writable")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise ConfigError(f"MUTUAL_DATABASE: {path} is not readable and writable")
    return path


def _database_url(env: Mapping[str, str]) -> str | None:
    from bot.db.urls import url_problem

    raw = env.get("MUTUAL_DATABASE_URL", "").strip()
    if not raw:
        return None
    problem = url_problem(raw)
    if problem:
        raise ConfigError(f"MUTUAL_DATABASE_URL: {problem}")
    return raw


def _secret(env: Mapping[str, str], data_dir: Path) -> tuple[bytes, Path | None, bool]:
    """Keyed hashes need a secret that outlives restarts but never enters the database.

    A missing file yields a new secret that is not written yet: start-up first checks the
    database's fingerprint (bot/keyed_secret.py), so a lost file is refused, never replaced.
    """
    raw = env.get("MUTUAL_SECRET", "").strip()
    if raw:
        if len(raw) < 16:
            raise ConfigError("MUTUAL_SECRET must be at least 16 characters long")
        return raw.encode(), None, False
    secret_file = data_dir / "secret.key"
    if secret_file.exists():
        try:
            value = secret_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ConfigError(f"MUTUAL_SECRET: cannot read {secret_file}: {why}") from None
        if len(value) < 16:
            raise ConfigError(f"MUTUAL_SECRET: {secret_file} is too short; remove it to regenerate")
        return value.encode(), secret_file, False
    return secrets.token_hex(32).encode(), secret_file, True


def load_settings(
    environ: Mapping[str, str] | None = None, *, dotenv: Path | None = Path(".env")
) -> Settings:
    """Combine `.env` (lower priority) with the real environment (higher priority)."""
    env: dict[str, str] = {}
    if dotenv is not None:
        env.update(read_dotenv(dotenv))
    env.update(os.environ if environ is None else environ)

    level = env.get("MUTUAL_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"MUTUAL_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")

    content_raw = env.get("MUTUAL_CONTENT_DIR", "").strip()
    content_dir = Path(content_raw) if content_raw else DEFAULT_CONTENT_DIR
    if not content_dir.is_dir():
        raise ConfigError(f"MUTUAL_CONTENT_DIR: {content_dir} is not a readable folder")

    log_format = env.get("MUTUAL_LOG_FORMAT", "text").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"MUTUAL_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    guild_retention = _whole_days(env, "MUTUAL_GUILD_RETENTION_DAYS")

    shard_count = _shard_count(env)
    shard_ids = parse_shard_ids(env.get("MUTUAL_SHARDS", ""), shard_count)
    send_rate, send_rate_source = _send_rate(env, shard_count, shard_ids)

    database_path = _database_path(env)
    secret, secret_file, secret_is_new = _secret(env, database_path.parent)
    return Settings(
        token=env.get("DISCORD_TOKEN", "").strip() or None,
        database_path=database_path,
        secret=secret,
        content_dir=content_dir,
        dev_guild_id=_optional_int(env, "MUTUAL_DEV_GUILD_ID"),
        log_level=level,
        prompt_grace_hours=_number(env, "MUTUAL_PROMPT_GRACE_HOURS", 6.0, minimum=0),
        send_rate_per_second=send_rate,
        send_concurrency=int(_number(env, "MUTUAL_SEND_CONCURRENCY", 8, minimum=1)),
        api_base=env.get("MUTUAL_API_BASE", "").strip() or None,
        secret_file=secret_file,
        secret_is_new=secret_is_new,
        log_format=log_format,
        guild_retention_days=(
            DEFAULT_GUILD_RETENTION_DAYS if guild_retention is None else guild_retention
        ),
        history_retention_days=_whole_days(env, "MUTUAL_HISTORY_RETENTION_DAYS"),
        http_port=_http_port(env),
        http_host=env.get("MUTUAL_HTTP_HOST", "").strip() or "127.0.0.1",
        database_url=_database_url(env),
        shard_count=shard_count,
        shard_ids=shard_ids,
        send_rate_source=send_rate_source,
    )
