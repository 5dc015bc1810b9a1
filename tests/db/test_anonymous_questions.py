from bot.db import Storage
from bot.db import anonymous_questions as repo


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
