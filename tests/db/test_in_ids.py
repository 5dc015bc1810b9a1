"""The storage seam's `in_ids`: a list of ids as a condition, `IN (...)` on SQLite and one array
on PostgreSQL; the same rows either way, in a read, an update and inside a transaction."""

from __future__ import annotations

from bot.db import Storage

SNOWFLAKE = 1_234_567_890_123_456_789  # a Discord id needs all of BIGINT
GUILDS = [SNOWFLAKE, 2, 3, 4]


async def _settings(db: Storage) -> None:
    await db.executemany("INSERT INTO guild_settings (guild_id) VALUES (?)", [(g,) for g in GUILDS])


async def test_the_rows_of_the_ids_come_back_and_no_others(storage: Storage) -> None:
    db = storage
    await _settings(db)
    for wanted in ([SNOWFLAKE, 3], [2], [], [5, 6], [3, 3]):
        among, params = db.in_ids("guild_id", wanted)
        rows = await db.fetchall(f"SELECT guild_id FROM guild_settings WHERE {among}", params)
        assert sorted(row[0] for row in rows) == sorted(set(wanted) & set(GUILDS))


async def test_it_reads_and_writes_inside_a_transaction(storage: Storage) -> None:
    db = storage
    await _settings(db)
    async with db.transaction() as tx:
        among, params = tx.in_ids("guild_id", [2, 4])
        changed = await tx.execute(
            f"UPDATE guild_settings SET excluded_notes = ? WHERE {among}", ["abuse", *params]
        )
    assert changed == 2
    rows = await db.fetchall("SELECT guild_id FROM guild_settings WHERE excluded_notes = 'abuse'")
    assert sorted(row[0] for row in rows) == [2, 4]


def test_on_postgresql_every_length_is_one_statement_text(storage: Storage) -> None:
    short, _ = storage.in_ids("guild_id", [1])
    long, _ = storage.in_ids("guild_id", list(range(500)))
    assert (short == long) == (storage.dialect == "postgresql")
