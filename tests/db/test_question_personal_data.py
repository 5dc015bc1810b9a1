from datetime import UTC, datetime

import pytest

from bot.db import Storage, erasure
from bot.db import anonymous_questions as questions
from bot.db import question_personal_data as repo

WHEN = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def _discussion(db: Storage, guild: int) -> int:
    return await db.insert(
        """INSERT INTO discussions (guild_id, channel_id, state, source_kind, source_id,
               title, duration_minutes) VALUES (?, 1, 'open', 'topic', 't', 'T', 60)""",
        (guild,),
    )


async def _question(db: Storage, guild: int, block_key: str, status: str) -> int:
    return await questions.add_question(
        db, discussion_id=await _discussion(db, guild), guild_id=guild,
        asker_key=f"a-{block_key}", block_key=block_key, pseudonym="Guest", status=status,
        text=None, now=WHEN,
    )  # fmt: skip


async def test_question_guilds_finds_every_server_the_writers_noted(storage: Storage) -> None:
    db = storage
    assert await repo.question_guilds(db) == []
    for guild in (30, 10, 20):
        for n in range(3):
            await _question(db, guild, f"b{n}", "relayed")
    await questions.add_block(db, 40, "b", WHEN)
    await questions.add_question_time(db, 50, "r", WHEN)
    reported = await _question(db, 60, "b", "relayed")
    await questions.add_report(db, reported, 60, "p", WHEN)
    assert sorted(await repo.question_guilds(db)) == [10, 20, 30, 40, 50, 60]
    assert await repo.keyed_guilds(db) == repo.KeyedGuilds([10, 20, 30, 40, 60], [50], [60])
    # Each server is noted once per kind, however many rows it holds.
    assert await db.fetchval("SELECT COUNT(*) FROM question_data_guilds") == 7


async def test_a_note_outlives_its_rows_and_goes_with_the_server(storage: Storage) -> None:
    db = storage
    question = await _question(db, 10, "b", "pending")
    await questions.delete_question(db, question)
    # Expired rows leave their note: a key made for nothing, never a row /mydata misses.
    assert (await repo.keyed_guilds(db)).blocks == [10]
    await erasure.forget_discussions(db, 10)
    assert await repo.keyed_guilds(db) == repo.KeyedGuilds([], [], [])


async def _member_everywhere(db: Storage) -> None:
    """Member "m" (keys m1, m2, ...) and someone else ("o") in servers 1-5."""
    for guild in range(1, 6):
        await _question(db, guild, f"m{guild}", "pending" if guild % 2 else "relayed")
        await _question(db, guild, f"o{guild}", "pending")
    await questions.add_block(db, 2, "m2", WHEN)
    await questions.add_block(db, 6, "o6", WHEN)
    for guild, key in ((3, "r3"), (3, "r3"), (7, "x7")):
        await questions.add_question_time(db, guild, key, WHEN)
    reported = await _question(db, 8, "o8", "relayed")
    await questions.add_report(db, reported, 8, "p8", WHEN)


def _pairs_of(prefix: str, guilds: list[int]) -> list[tuple[int, str]]:
    return [(g, f"{prefix}{g}") for g in guilds]


@pytest.mark.parametrize("chunked", [False, True])
async def test_member_data_is_found_and_counted_by_kind(
    storage: Storage, chunked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = storage
    if chunked:  # several statements, as SQLite takes a long list, in both dialects
        monkeypatch.setattr(db, "pairs_per_statement", 2)
    assert await repo.member_counts(db, [], [], []) == repo.MemberCounts(0, 0, 0, 0, 0)
    await _member_everywhere(db)
    guilds = await repo.keyed_guilds(db)
    assert guilds == repo.KeyedGuilds([1, 2, 3, 4, 5, 6, 8], [3, 7], [8])
    assert await repo.pending_guilds(db) == [1, 2, 3, 4, 5]

    counts = await repo.member_counts(
        db, _pairs_of("m", guilds.blocks), _pairs_of("r", guilds.rates), _pairs_of("p", [8])
    )
    assert counts == repo.MemberCounts(
        pending=3, decided=2, blocked_servers=1, question_times=2, reports=1
    )
    only_times = await repo.member_counts(db, [], _pairs_of("r", guilds.rates), [])
    assert only_times == repo.MemberCounts(0, 0, 0, 2, 0)
    found = await repo.questions_for_block_keys(db, _pairs_of("m", guilds.blocks))
    assert sorted(q.guild_id for q in found) == [1, 2, 3, 4, 5]
    assert await repo.blocks_for(db, _pairs_of("m", guilds.blocks)) == [2]

    assert await repo.delete_pending_for(db, _pairs_of("m", [1, 2, 3, 4, 5])) == 3
    assert await db.fetchval("SELECT COUNT(*) FROM discussion_questions") == 8


@pytest.mark.parametrize("chunked", [False, True])
async def test_erasing_a_members_keys_touches_only_their_rows(
    storage: Storage, chunked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = storage
    if chunked:  # several statements, as SQLite takes a long list, in both dialects
        monkeypatch.setattr(db, "pairs_per_statement", 2)
    await _member_everywhere(db)
    changed = await erasure.erase_question_keys(
        db, _pairs_of("m", [1, 2, 3, 4, 5, 6, 8]), _pairs_of("r", [3, 7]), _pairs_of("p", [8])
    )
    # 3 waiting questions deleted, 2 decided unlinked, 1 block, 2 question times, 1 report
    assert changed == 9
    rows = await db.fetchall("SELECT block_key, status FROM discussion_questions ORDER BY id")
    assert sorted((row[0], row[1]) for row in rows) == sorted(
        [("", "relayed"), ("", "relayed"), ("o8", "relayed")]
        + [(f"o{g}", "pending") for g in range(1, 6)]
    )
    assert await db.fetchval("SELECT COUNT(*) FROM anonymous_blocks") == 1
    assert await db.fetchval("SELECT COUNT(*) FROM anonymous_question_times") == 1
    assert await db.fetchval("SELECT COUNT(*) FROM question_reports") == 0
