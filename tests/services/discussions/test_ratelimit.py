from datetime import timedelta

from bot.clock import FakeClock
from bot.db import Storage
from bot.services.discussions import QuestionRateLimit
from bot.services.privacy import KeyedHasher
from tests.services.discussions.conftest import GUILD


async def test_three_per_ten_minutes_then_free_again(
    db: Storage, clock: FakeClock, hasher: KeyedHasher
) -> None:
    limit = QuestionRateLimit(db, clock, hasher)
    for _ in range(3):
        assert (await limit.check(GUILD, 5)).allowed
        await limit.record(GUILD, 5)
        clock.advance(timedelta(minutes=1))
    refused = await limit.check(GUILD, 5)
    assert not refused.allowed
    assert refused.retry_at == clock.now() - timedelta(minutes=3) + timedelta(minutes=10)
    # Another member and another server are counted apart.
    assert (await limit.check(GUILD, 6)).allowed
    assert (await limit.check(GUILD + 1, 5)).allowed
    clock.advance(timedelta(minutes=7, seconds=1))
    assert (await limit.check(GUILD, 5)).allowed


async def test_stored_times_are_keyed_and_pruned(
    db: Storage, clock: FakeClock, hasher: KeyedHasher
) -> None:
    limit = QuestionRateLimit(db, clock, hasher)
    await limit.record(GUILD, 987654321)
    rows = await db.fetchall("SELECT guild_id, rate_key, asked_at FROM anonymous_question_times")
    assert len(rows) == 1 and "987654321" not in rows[0]["rate_key"]
    clock.advance(timedelta(minutes=11))
    await limit.check(GUILD, 1)
    assert await db.fetchval("SELECT COUNT(*) FROM anonymous_question_times") == 0
