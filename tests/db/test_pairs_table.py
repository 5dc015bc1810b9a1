"""The storage seam's table of (server, key) pairs, on SQLite (a VALUES list, cut into chunks)
and PostgreSQL (two arrays through unnest): the same rows come back either way."""

from __future__ import annotations

from bot.db import Storage
from bot.db.sqlite_statements import PAIRS_PER_STATEMENT
from bot.db.storage import Pair, pair_chunks

SNOWFLAKE = 1_234_567_890_123_456_789  # a Discord id needs all of BIGINT


async def _rows_of(db: Storage, pairs: list[Pair]) -> list[Pair]:
    """Every row of the table, chunk by chunk, as the repositories read it."""
    found: list[Pair] = []
    for chunk in pair_chunks(db, pairs):
        wanted, params = db.pairs_table("wanted", chunk)
        rows = await db.fetchall(f"WITH {wanted} SELECT guild_id, member_key FROM wanted", params)
        found += [(row[0], row[1]) for row in rows]
    return found


async def test_the_table_holds_the_pairs_as_given_duplicates_included(storage: Storage) -> None:
    pairs = [(SNOWFLAKE, "k1"), (2, "k2"), (2, "k2"), (3, "it's")]
    found = await _rows_of(storage, pairs)
    assert sorted(found) == sorted(pairs)
    assert all(type(guild) is int and type(key) is str for guild, key in found)


async def test_an_empty_list_is_an_empty_table_that_still_joins(storage: Storage) -> None:
    db = storage
    assert pair_chunks(db, []) == []
    await db.execute("INSERT INTO anonymous_blocks VALUES (1, 'k', '2026-03-01T12:00:00Z')")
    wanted, params = db.pairs_table("wanted", [])
    count = await db.fetchval(
        f"""WITH {wanted} SELECT COUNT(*) FROM wanted JOIN anonymous_blocks AS b
            ON b.guild_id = wanted.guild_id AND b.block_key = wanted.member_key""",
        params,
    )
    assert count == 0


async def test_more_pairs_than_sqlite_takes_in_one_statement(storage: Storage) -> None:
    db = storage
    pairs = [(guild, f"k{guild}") for guild in range(1, 5_001)]
    chunks = pair_chunks(db, pairs)
    # SQLite cuts the list to its limit on parameters; PostgreSQL's two arrays take it whole.
    assert len(chunks) == {"sqlite": 2, "postgresql": 1}[db.dialect]
    assert len(pairs) > PAIRS_PER_STATEMENT
    assert sorted(await _rows_of(db, pairs)) == pairs
    await db.executemany(
        "INSERT INTO anonymous_blocks VALUES (?, ?, '2026-03-01T12:00:00Z')",
        [(guild, key) for guild, key in pairs if guild % 1_000 == 0],
    )
    matched: list[int] = []
    for chunk in chunks:
        wanted, params = db.pairs_table("wanted", chunk)
        rows = await db.fetchall(
            f"""WITH {wanted} SELECT b.guild_id FROM wanted JOIN anonymous_blocks AS b
                ON b.guild_id = wanted.guild_id AND b.block_key = wanted.member_key""",
            params,
        )
        matched += [int(row[0]) for row in rows]
    assert sorted(matched) == [1_000, 2_000, 3_000, 4_000, 5_000]


async def test_a_transaction_writes_the_same_table(storage: Storage) -> None:
    db = storage
    await db.execute("INSERT INTO anonymous_blocks VALUES (1, 'a', '2026-03-01T12:00:00Z')")
    await db.execute("INSERT INTO anonymous_blocks VALUES (2, 'b', '2026-03-01T12:00:00Z')")
    async with db.transaction() as tx:
        wanted, params = tx.pairs_table("wanted", [(1, "a"), (2, "x")])
        removed = await tx.execute(
            f"""DELETE FROM anonymous_blocks WHERE (guild_id, block_key) IN
                (WITH {wanted} SELECT guild_id, member_key FROM wanted)""",
            params,
        )
    assert removed == 1
    assert await db.fetchval("SELECT block_key FROM anonymous_blocks") == "b"


async def test_a_table_beside_other_parameters_and_tables(storage: Storage) -> None:
    """The WITH clause comes first, so its parameters do; two tables in one statement."""
    db = storage
    first, first_params = db.pairs_table("a", [(1, "x"), (2, "y")])
    second, second_params = db.pairs_table("b", [(2, "y")])
    count = await db.fetchval(
        f"""WITH {first}, {second}
            SELECT COUNT(*) FROM a JOIN b ON a.guild_id = b.guild_id AND a.member_key = b.member_key
            WHERE a.guild_id > ?""",
        [*first_params, *second_params, 1],
    )
    assert count == 1
