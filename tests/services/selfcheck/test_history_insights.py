from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.content import Content
from bot.db import Storage
from bot.services.privacy import KeyedHasher
from bot.services.selfcheck import SelfCheckHistory, SelfCheckInsights, Session
from bot.services.selfcheck.session import instrument_code

HASHER = KeyedHasher(b"0123456789abcdef0123456789abcdef")
USER = 222333444555666777


@pytest.fixture
def db(storage: Storage) -> Storage:
    """The shared fixture's database, SQLite and PostgreSQL in turn."""
    return storage


def _session(instrument_id: str, day: datetime) -> Session:
    return Session(instrument_code(instrument_id), int(day.timestamp() // 60), "00000000")


async def test_history_trend_describe_and_delete(db: Storage, content: Content) -> None:
    history = SelfCheckHistory(db, HASHER, content)
    instrument = content.instruments["give-and-take"]
    start = datetime(2025, 1, 6, 10, tzinfo=UTC)
    for week, (mine, theirs) in enumerate([(10, 90), (50, 50), (90, 20)]):
        session = _session(instrument.id, start + timedelta(weeks=week))
        scores = {"i-lean": mine, "they-lean": theirs}
        assert await history.save(USER, session, instrument, scores)
        assert not await history.save(USER, session, instrument, dict(scores))  # a double click
    [trend] = await history.trends(USER)
    assert trend.count == 3 and (trend.first_day, trend.last_day) == ("2025-01-06", "2025-01-20")
    i_lean = trend.dimensions[0]
    assert i_lean.spark == "▁▄█" and i_lean.latest == 90
    assert i_lean.latest_level == "Leaning on them a lot"
    described = await history.describe(USER)
    assert len(described) == 1 and "3 saved results" in described[0].description
    assert await history.trends(USER + 1) == []
    assert await history.delete(USER) == 3
    assert await history.describe(USER) == []


async def test_insights_hide_cells_below_five(db: Storage, content: Content) -> None:
    insights = SelfCheckInsights(db, content, HASHER)
    monday = date(2025, 3, 3)
    for n in range(4):
        assert await insights.record(1, "give-and-take", monday, {"i-lean": 40}, f"s{n}")
    assert not await insights.record(1, "give-and-take", monday, {"i-lean": 40}, "s0")
    found = {i.instrument_id: i for i in await insights.weekly(1, monday + timedelta(days=3))}
    cell = found["give-and-take"].weeks[0]
    assert cell.label == "2025-W10" and cell.completions is None and cell.averages == ()
    await insights.record(1, "give-and-take", monday + timedelta(days=6), {"i-lean": 90}, "s5")
    found = {i.instrument_id: i for i in await insights.weekly(1, monday + timedelta(days=3))}
    cell = found["give-and-take"].weeks[0]
    assert cell.completions == 5
    assert cell.averages == (("How much I lean on them", 50),)  # they-lean never scored: hidden
    other_guild = {i.instrument_id: i for i in await insights.weekly(2, monday)}
    assert other_guild["give-and-take"].weeks[0].completions is None


async def test_insights_weeks_are_iso_weeks_newest_first(db: Storage, content: Content) -> None:
    insights = SelfCheckInsights(db, content, HASHER)
    sunday = date(2025, 3, 9)
    for n in range(5):
        await insights.record(1, "healthy-dependence", sunday, {"trust": 10 * n}, f"a{n}")
    weekly = {i.instrument_id: i for i in await insights.weekly(1, sunday + timedelta(days=1), 3)}
    weeks = weekly["healthy-dependence"].weeks
    assert [w.label for w in weeks] == ["2025-W11", "2025-W10", "2025-W09"]
    assert weeks[0].completions is None and weeks[1].completions == 5
    assert weeks[1].averages == (("Mutual trust", 20),)


async def test_a_session_counted_before_a_restart_is_not_counted_again(
    db: Storage, content: Content
) -> None:
    monday = date(2025, 3, 3)
    owner = "1a2b3c4d"
    key = f"{instrument_code('give-and-take')}:29000000:{owner}"
    assert await SelfCheckInsights(db, content, HASHER).record(
        1, "give-and-take", monday, {"i-lean": 40}, key
    )
    restarted = SelfCheckInsights(db, content, HASHER)  # nothing carried over in memory
    assert not await restarted.record(1, "give-and-take", monday, {"i-lean": 40}, key)
    assert await restarted.record(2, "give-and-take", monday, {"i-lean": 40}, key)  # other server
    assert await db.fetchval("SELECT SUM(completions) FROM selfcheck_completions") == 2
    tokens = [
        row[0] for row in await db.fetchall("SELECT session_token FROM selfcheck_counted_sessions")
    ]
    assert len(tokens) == 2 and all(len(t) == 32 for t in tokens)
    for token in tokens:
        assert owner not in token and "29000000" not in token
    other_secret = SelfCheckInsights(db, content, KeyedHasher(b"another-secret-of-32-bytes-ok!!!"))
    assert other_secret.session_token(1, key) not in tokens


async def test_prune_keeps_tokens_while_a_session_could_still_show_its_result(
    db: Storage, content: Content
) -> None:
    insights = SelfCheckInsights(db, content, HASHER)
    friday = date(2025, 3, 7)
    for back in range(4):
        await insights.record(1, "give-and-take", friday - timedelta(days=back), {}, f"s{back}")
    assert await insights.prune(friday) == 1  # only the day more than two days back
    days = [
        row[0]
        for row in await db.fetchall("SELECT day FROM selfcheck_counted_sessions ORDER BY day")
    ]
    assert days == ["2025-03-05", "2025-03-06", "2025-03-07"]
    assert not await insights.record(1, "give-and-take", friday, {}, "s0")
