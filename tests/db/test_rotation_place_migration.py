"""Migration 016: a server's place in its rotation moves out of the order's row, nothing lost."""

from pathlib import Path

from bot.db import Database
from bot.db import prompt_rotation as repo
from bot.db.postgres import PostgresDatabase
from bot.db.storage import Storage
from bot.services.prompts import rotation
from tests.db.old_schema import newer_than, postgres_at, sqlite_at

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
    sqlite_at(path, 15, [OLD_ROWS])
    db = await Database.open(path)
    try:
        assert await db.migrate() == newer_than(15)
        await carried_over(db)
    finally:
        await db.close()


async def test_postgresql_keeps_a_rotations_place_through_migration_016(
    fresh_postgres_url: str,
) -> None:
    await postgres_at(fresh_postgres_url, 15, [OLD_ROWS.replace("char(10)", "chr(10)")])
    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2)
    try:
        assert await db.migrate() == newer_than(15, "postgresql")
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
