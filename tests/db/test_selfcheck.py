from __future__ import annotations

import pytest

from bot.db import Storage
from bot.db import selfcheck as repo


@pytest.fixture
def db(storage: Storage) -> Storage:
    """The shared fixture's database, SQLite and PostgreSQL in turn."""
    return storage


async def test_a_session_is_saved_once(db: Storage) -> None:
    args = {
        "member_key": "k1",
        "instrument": "give-and-take",
        "taken_on": "2025-03-03",
        "save_token": "t1",
        "scores": {"i-lean": 40},
    }
    assert await repo.save_result(db, **args)  # type: ignore[arg-type]
    assert not await repo.save_result(db, **args)  # type: ignore[arg-type]
    assert await repo.save_result(db, **{**args, "save_token": "t2"})  # type: ignore[arg-type]
    rows = await repo.history(db, "k1")
    assert [r.scores for r in rows] == [{"i-lean": 40}, {"i-lean": 40}]
    assert await repo.count_history(db, "k1") == 2
    assert await repo.history(db, "someone-else") == []


async def test_delete_one_instrument_or_all(db: Storage) -> None:
    for n, instrument in enumerate(["a", "a", "b"]):
        await repo.save_result(
            db,
            member_key="k",
            instrument=instrument,
            taken_on="2025-01-01",
            save_token=str(n),
            scores={},
        )
    await repo.save_result(
        db, member_key="other", instrument="a", taken_on="2025-01-01", save_token="x", scores={}
    )
    assert await repo.delete_history(db, "k", "a") == 2
    assert [r.instrument for r in await repo.history(db, "k")] == ["b"]
    assert await repo.delete_history(db, "k") == 1
    assert await repo.count_history(db, "other") == 1


async def test_completions_accumulate_per_day_without_identity(db: Storage) -> None:
    await repo.record_completion(db, 7, "hd", "2025-03-03", {"trust": 50, "growth": 20})
    await repo.record_completion(db, 7, "hd", "2025-03-03", {"trust": 70})
    await repo.record_completion(db, 7, "hd", "2025-03-04", {"trust": 10})
    await repo.record_completion(db, 8, "hd", "2025-03-03", {"trust": 99})
    cells = await repo.completions_between(db, 7, ["hd"], "2025-03-01", "2025-03-31")
    assert [(c.day, c.completions) for c in cells] == [("2025-03-03", 2), ("2025-03-04", 1)]
    sums = await repo.sums_between(db, 7, ["hd"], "2025-03-03", "2025-03-03")
    assert [(s.dimension, s.total, s.answered) for s in sums] == [
        ("growth", 20, 1),
        ("trust", 120, 2),
    ]
    columns = set(await db.column_names("selfcheck_completions"))
    assert columns == {"guild_id", "instrument", "day", "completions"}
    await repo.forget_guild(db, 7)
    assert await repo.completions_between(db, 7, ["hd"], "2025-01-01", "2025-12-31") == []
    assert len(await repo.completions_between(db, 8, ["hd"], "2025-01-01", "2025-12-31")) == 1


async def test_a_counted_session_token_counts_once_and_is_pruned_by_day(db: Storage) -> None:
    assert await repo.record_completion(db, 7, "hd", "2025-03-03", {"trust": 50}, session_token="t")
    assert not await repo.record_completion(
        db, 7, "hd", "2025-03-03", {"trust": 90}, session_token="t"
    )
    assert await repo.record_completion(db, 7, "hd", "2025-03-04", {"trust": 10}, session_token="u")
    assert await repo.record_completion(db, 8, "hd", "2025-03-04", {"trust": 10}, session_token="v")
    cells = await repo.completions_between(db, 7, ["hd"], "2025-03-01", "2025-03-31")
    assert [(c.day, c.completions) for c in cells] == [("2025-03-03", 1), ("2025-03-04", 1)]
    sums = await repo.sums_between(db, 7, ["hd"], "2025-03-03", "2025-03-03")
    assert [(s.total, s.answered) for s in sums] == [(50, 1)]  # the repeat added nothing
    columns = set(await db.column_names("selfcheck_counted_sessions"))
    assert columns == {"session_token", "guild_id", "day"}
    assert await repo.prune_counted_sessions(db, "2025-03-04") == 1
    assert await db.fetchval("SELECT COUNT(*) FROM selfcheck_counted_sessions") == 2
    await repo.forget_guild(db, 7)
    left = await db.fetchall("SELECT guild_id FROM selfcheck_counted_sessions")
    assert [tuple(row) for row in left] == [(8,)]


async def test_insight_ranges_leave_out_other_instruments_and_days(db: Storage) -> None:
    await repo.record_completion(db, 7, "hd", "2025-03-03", {"trust": 50})
    await repo.record_completion(db, 7, "other", "2025-03-03", {"trust": 50})
    await repo.record_completion(db, 7, "hd", "2024-03-03", {"trust": 50})
    cells = await repo.completions_between(db, 7, ["hd"], "2025-03-01", "2025-03-31")
    assert [(c.instrument, c.day) for c in cells] == [("hd", "2025-03-03")]
    sums = await repo.sums_between(db, 7, ["hd", "other"], "2025-03-01", "2025-03-31")
    assert [s.instrument for s in sums] == ["hd", "other"]


async def test_recent_history_is_the_tail_of_the_whole_history(db: Storage) -> None:
    """Each instrument's last results in saved order (days tie: saved order), its count and its
    first day, as the whole history would give them."""
    for n in range(30):
        for instrument in ("a-check", "b-check"):
            if instrument == "b-check" and n % 3:
                continue
            await repo.save_result(
                db,
                member_key="k1",
                instrument=instrument,
                taken_on=f"2025-03-{1 + n // 2:02d}",
                save_token=f"t{n}",
                scores={"x": n},
            )
    await repo.save_result(
        db, member_key="k2", instrument="a-check", taken_on="2025-04-01", save_token="t",
        scores={"x": 99},
    )  # fmt: skip
    whole = await repo.history(db, "k1")
    recent = await repo.recent_history(db, "k1", ["a-check", "b-check", "c-check"], 4)
    assert [r.instrument for r in await repo.recent_history(db, "k1", ["b-check"], 4)] == [
        "b-check"
    ]
    assert [r.instrument for r in recent] == ["a-check", "b-check"]
    for entry in recent:
        mine = [row for row in whole if row.instrument == entry.instrument]
        assert entry.total == len(mine)
        assert entry.first_day == mine[0].taken_on
        assert entry.rows == mine[-4:]
    assert await repo.recent_history(db, "nobody", ["a-check"], 4) == []
    assert await repo.recent_history(db, "k1", [], 4) == []
