"""Migration 016: a server's place in its rotation moves out of the order's row, nothing lost."""

import sqlite3
from pathlib import Path

import asyncpg

from bot.db import Database
from bot.db import prompt_rotation as repo
from bot.db.postgres import SCHEMA_TABLE, PostgresDatabase
from bot.db.schema import available_migrations
from bot.db.storage import Storage
from bot.services.prompts import rotation

ORDER = ["p-3", "p-1", "p-4", "p-0", "p-2"]
# What 015 stored: the order and the keys this cycle used, in the order's order.
OLD = {
    1: ("\n".join(ORDER), "p-3\np-1"),  # the start of the order: becomes a count
    2: ("\n".join(ORDER), ""),  # a fresh cycle
    3: ("\n".join(ORDER), "p-3\np-4"),  # one passed over (another topic): stays a list
    4: ("\n".join(ORDER), "\n".join(ORDER)),  # the whole cycle used
    5: ("\n".join(ORDER), "p-3\np-1\np"),  # the start of a key is not a key
}
OLD_ROWS = "INSERT INTO prompt_rotation (guild_id, sequence, used) VALUES " + ", ".join(
    f"({gid}, '{sequence}', '{used}')" for gid, (sequence, used) in OLD.items()
).replace("\n", "' || char(10) || '")


def database_at_15(path: Path) -> None:
    conn = sqlite3.connect(path)
    for version, _name, sql in available_migrations():
        if version > 15:
            break
        conn.executescript(f"BEGIN;\n{sql}\n;PRAGMA user_version = {version};\nCOMMIT;")
    conn.executescript(OLD_ROWS)
    conn.close()


async def carried_over(db: Storage) -> None:
    stored = await repo.rotations_for(db, list(OLD))
    assert {gid: (row[2], row[3]) for gid, row in stored.items()} == {
        1: (2, ""),
        2: (0, ""),
        3: (0, "p-3\np-4"),
        4: (5, ""),
        5: (0, "p-3\np-1\np"),
    }
    assert all(row[0] == "\n".join(ORDER) and row[1] is None for row in stored.values())
    keys = sorted(ORDER)
    for gid, (sequence, used) in OLD.items():
        before = rotation.RotationState.load(sequence, used)
        after = rotation.RotationState.of(rotation.Stored(*stored[gid]))
        assert after == before
        # The next picks are the ones the old row would have given, however they are made.
        picking = rotation.StoredRotation(rotation.Stored(*stored[gid]))
        expected = [rotation.pick(gid, before, keys) for _ in range(7)]
        assert [picking.pick(gid, keys) for _ in range(7)] == expected


async def test_a_rotation_keeps_its_place_through_migration_016(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database_at_15(path)
    db = await Database.open(path)
    try:
        assert await db.migrate() == len(available_migrations()) - 15
        await carried_over(db)
    finally:
        await db.close()


async def test_postgresql_keeps_a_rotations_place_through_migration_016(
    fresh_postgres_url: str,
) -> None:
    conn = await asyncpg.connect(fresh_postgres_url)
    try:
        for version, _name, sql in available_migrations("postgresql"):
            if version > 15:
                break
            await conn.execute(sql)
        await conn.execute(f"CREATE TABLE {SCHEMA_TABLE} (version INTEGER NOT NULL)")
        await conn.execute(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES (15)")
        await conn.execute(OLD_ROWS.replace("char(10)", "chr(10)"))
    finally:
        await conn.close()
    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2)
    try:
        assert await db.migrate() == len(available_migrations("postgresql")) - 15
        await carried_over(db)
        # A pick after the move writes the place, and the order only to add its deck.
        picking = rotation.StoredRotation(rotation.Stored(*(await repo.rotations_for(db, [1]))[1]))
        assert picking.pick(1, sorted(ORDER)) == "p-4"
        order, place = picking.rows()
        assert order is not None and order.deck == rotation.deck_of(ORDER)
        await repo.save_rotations(db, [(1, order.sequence, order.deck)], [(1, place.reached, "")])
        assert (await repo.rotations_for(db, [1]))[1] == ("\n".join(ORDER), order.deck, 3, "")
    finally:
        await db.close()
