import pytest

from bot.db import Storage, erasure
from bot.db import question_personal_data as repo


async def test_question_guilds_finds_every_server_holding_question_data(storage: Storage) -> None:
    db = storage
    assert await repo.question_guilds(db) == []
    for guild in (30, 10, 20):
        did = await db.insert(
            """INSERT INTO discussions (guild_id, channel_id, state, source_kind, source_id,
                   title, duration_minutes) VALUES (?, 1, 'open', 'topic', 't', 'T', 60)""",
            (guild,),
        )
        for n in range(3):
            await db.execute(
                """INSERT INTO discussion_questions (discussion_id, guild_id, asker_key,
                       block_key, pseudonym, status, created_at)
                   VALUES (?, ?, ?, ?, 'Guest', 'relayed', '2026-03-01T12:00:00Z')""",
                (did, guild, f"a{n}", f"b{n}"),
            )
    await db.execute("INSERT INTO anonymous_blocks VALUES (40, 'b', '2026-03-01T12:00:00Z')")
    await db.execute(
        "INSERT INTO anonymous_question_times VALUES (50, 'r', '2026-03-01T12:00:00Z')"
    )
    assert sorted(await repo.question_guilds(db)) == [10, 20, 30, 40, 50]


async def _question(db: Storage, guild: int, block_key: str, status: str) -> int:
    did = await db.insert(
        """INSERT INTO discussions (guild_id, channel_id, state, source_kind, source_id,
               title, duration_minutes) VALUES (?, 1, 'open', 'topic', 't', 'T', 60)""",
        (guild,),
    )
    return await db.insert(
        """INSERT INTO discussion_questions (discussion_id, guild_id, asker_key, block_key,
               pseudonym, status, created_at)
           VALUES (?, ?, ?, ?, 'Guest', ?, '2026-03-01T12:00:00Z')""",
        (did, guild, f"a-{block_key}", block_key, status),
    )


async def _member_everywhere(db: Storage) -> None:
    """Member "m" (keys m1, m2, ...) and someone else ("o") in servers 1-5."""
    for guild in range(1, 6):
        await _question(db, guild, f"m{guild}", "pending" if guild % 2 else "relayed")
        await _question(db, guild, f"o{guild}", "pending")
    await db.execute("INSERT INTO anonymous_blocks VALUES (2, 'm2', '2026-03-01T12:00:00Z')")
    await db.execute("INSERT INTO anonymous_blocks VALUES (6, 'o6', '2026-03-01T12:00:00Z')")
    for guild, key in ((3, "r3"), (3, "r3"), (7, "x7")):
        await db.execute(
            "INSERT INTO anonymous_question_times VALUES (?, ?, '2026-03-01T12:00:00Z')",
            (guild, key),
        )
    reported = await _question(db, 8, "o8", "relayed")
    await db.execute(
        "INSERT INTO question_reports VALUES (?, 8, 'p8', '2026-03-01T12:00:00Z')", (reported,)
    )


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
