"""The hashing secret is part of the data: a database keyed with one secret is never run with another.

Keyed hashes (bot/services/privacy.py) are only meaningful with the secret that made them. If the
secret file is lost or replaced, /mydata would tell members nothing is kept while their history
stays, and a blocked pseudonym could ask again. So the database stores the secret's fingerprint,
and start-up refuses a different secret while keyed rows exist. The operator then either restores
the file or runs `python -m bot rotate-secret`, which drops the keyed rows on purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from bot.config import Settings
from bot.db import Storage
from bot.db.keyed_data import count_keyed_rows, drop_keyed_rows, store_fingerprint
from bot.db.keyed_data import stored_fingerprint as read_fingerprint

log = logging.getLogger(__name__)


class SecretMismatchError(RuntimeError):
    """The configured secret is not the one the database's keyed rows were made with."""


def fingerprint(secret: bytes) -> str:
    return hmac.new(secret, b"mutual:fingerprint", hashlib.sha256).hexdigest()


def _where(settings: Settings) -> str:
    if settings.secret_file is None:
        return "MUTUAL_SECRET"
    return str(settings.secret_file)


def _refusal(settings: Settings, kept: dict[str, int], *, missing: bool) -> str:
    what = ", ".join(f"{count} {kind}" for kind, count in kept.items())
    problem = (
        f"the secret file {settings.secret_file} is missing"
        if missing
        else f"the secret in {_where(settings)} is not the one it was made with"
    )
    return (
        f"Mutual cannot start: the database {settings.database_path} holds data keyed with a "
        f"secret ({what}), but {problem}. Without the right secret these can no longer be "
        "matched to anyone: /mydata would not show or delete them and blocks would not hold. "
        "Restore the secret from your backup (secret.key next to the database, or the old "
        "MUTUAL_SECRET) and start again. To start fresh instead, run `python -m bot "
        "rotate-secret --yes`: it drops that keyed data and keeps everything else."
    )


def write_secret_file(path: Path, secret: bytes) -> None:
    """Write the secret 0600, replacing any file there only after the new one is complete."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret.decode() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


async def guard_secret(db: Storage, settings: Settings) -> None:
    """Refuse a secret that does not match the keyed rows; otherwise record its fingerprint.

    Runs after migrations and after logging is set up, so a new secret is announced in the log
    (and a refusal is reported there by the command line).
    """
    current = fingerprint(settings.secret)
    stored = await read_fingerprint(db)
    if stored != current:
        kept = await count_keyed_rows(db)
        # A database from before fingerprints is trusted with the secret it has been running
        # with; a secret that is new or different from the stored one never is.
        if kept and (stored is not None or settings.secret_is_new):
            raise SecretMismatchError(_refusal(settings, kept, missing=settings.secret_is_new))
        await store_fingerprint(db, current)
    new_file = settings.secret_file
    if settings.secret_is_new and new_file is not None and not new_file.exists():
        write_secret_file(new_file, settings.secret)
        log.info(
            "Generated a new hashing secret in %s; back it up with the database", _where(settings)
        )


async def rotate_secret(db: Storage, settings: Settings) -> tuple[dict[str, int], bytes]:
    """Drop every keyed row and adopt a secret: a new one in the file, or MUTUAL_SECRET's.

    Returns what was dropped and the secret now in force. The database changes first, in one
    transaction; if the file is not written after it, no keyed rows are left, so the next start
    simply adopts whatever secret is there.
    """
    kept = await count_keyed_rows(db)
    secret = settings.secret if settings.secret_file is None else secrets.token_hex(32).encode()
    await drop_keyed_rows(db, fingerprint(secret))
    if settings.secret_file is not None:
        write_secret_file(settings.secret_file, secret)
    return kept, secret
