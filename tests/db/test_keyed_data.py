"""The secret's guard and rotation on either dialect: a changed secret is refused while keyed
rows exist, and rotating drops exactly those rows in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.db import Storage
from bot.db.keyed_data import count_keyed_rows, stored_fingerprint
from bot.keyed_secret import SecretMismatchError, fingerprint, guard_secret, rotate_secret


async def test_a_changed_secret_is_refused_then_rotated(storage: Storage, tmp_path: Path) -> None:
    def settings(secret: str):  # type: ignore[no-untyped-def]
        return load_settings(
            {"MUTUAL_DATABASE": str(tmp_path / "m.db"), "MUTUAL_SECRET": secret}, dotenv=None
        )

    first = settings("first-secret-0000000")
    await guard_secret(storage, first)
    assert await stored_fingerprint(storage) == fingerprint(first.secret)
    await storage.execute(
        "INSERT INTO selfcheck_history (member_key, instrument, taken_on, save_token, scores) "
        "VALUES ('k', 'boundaries', '2026-06-01', 't', '{}')"
    )
    await storage.execute("INSERT INTO prompt_custom (guild_id, text) VALUES (1, 'kept')")
    second = settings("second-secret-000000")
    with pytest.raises(SecretMismatchError):
        await guard_secret(storage, second)
    dropped, adopted = await rotate_secret(storage, second)
    assert dropped == {"saved self-check results": 1} and adopted == second.secret
    assert await count_keyed_rows(storage) == {}
    assert await storage.fetchval("SELECT COUNT(*) FROM prompt_custom") == 1
    await guard_secret(storage, second)  # accepted now
