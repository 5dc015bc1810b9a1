"""Several schedules per server: the pure parts, and the dispatcher with two due together."""

from datetime import date, timedelta

import pytest

from bot.content.model import Prompt
from bot.db import Database
from bot.db import prompts as repo
from bot.services.prompts import dispatch, rotation
from bot.services.prompts.model import NONCE_MAX, CustomPrompt, PromptInputError, post_nonce
from bot.services.prompts.rows import to_ts
from bot.services.prompts.schedule import Rule, parse_time, resolve_timezone
from bot.services.prompts.schedule_names import schedule_name
from tests.services.prompts.test_dispatch import START, FakePoster, Jobs, db, source

__all__ = ["db"]


def test_the_nonce_tells_schedules_and_claims_apart_and_fits_discord() -> None:
    day = date(2026, 6, 1)
    assert post_nonce(1, 1780300000, day).endswith(":20260601")
    assert post_nonce(1, 1780300000, day) != post_nonce(2, 1780300000, day)
    # A post re-dated onto a day by a zone change was claimed at another time than the next one.
    assert post_nonce(1, 1780300000, day) != post_nonce(1, 1780386400, day)
    assert len(post_nonce(2**63 - 1, 2**40, date(9999, 12, 31))) <= NONCE_MAX


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("weekend", "weekend"), ("  Weekend Posts ", "weekend-posts"), ("mon_fri", "mon_fri")],
)
def test_schedule_names_are_one_lowercase_word(typed: str, stored: str) -> None:
    assert schedule_name(typed) == stored


@pytest.mark.parametrize("typed", ["", "a/b", "x" * 33, "<@123>"])
def test_odd_schedule_names_are_refused(typed: str) -> None:
    with pytest.raises(PromptInputError):
        schedule_name(typed)


def test_a_schedules_topics_narrow_what_it_draws() -> None:
    builtin = {
        "a": Prompt("a", "trust", "A"),
        "b": Prompt("b", "rest", "B"),
        "c": Prompt("c", "rest", "C"),
    }
    own = [CustomPrompt(1, 9, "mine", "rest", None), CustomPrompt(2, 9, "no topic", None, None)]
    keys = rotation.eligible_keys(builtin, own, [])
    assert rotation.topics_of(None) is None and rotation.topics_of("") is None
    chosen = rotation.topics_of("rest\n")
    assert chosen == frozenset({"rest"})
    assert rotation.within_topics(keys, builtin, own, chosen) == ["b", "c", "c:1"]


async def add(db: Database, guild_id: int, name: str, channel: int) -> None:
    rule = Rule(parse_time("09:00"), resolve_timezone("Europe/Berlin"))
    run = rule.next_after(START)
    await repo.save_schedule(
        db,
        repo.ScheduleRow(guild_id, channel, "09:00", "Europe/Berlin", name=name,
                         next_run_utc=to_ts(run.at_utc), next_local_date=run.local_date.isoformat()),
    )  # fmt: skip


async def test_two_schedules_due_together_post_once_each_and_never_the_same_prompt(
    db: Database,
) -> None:
    await add(db, 1, "weekdays", 10)
    await add(db, 1, "weekend", 11)
    poster, jobs = FakePoster(), Jobs()
    src = source(db, poster, jobs)
    now = START + timedelta(hours=1)
    for _ in range(5):  # five days: the five prompts of the rotation are used up on day three
        await src.run_due(now)
        await src.run_due(now)  # a second tick claims nothing more
        assert await jobs.run() == 2
        now += timedelta(days=1)
    by_day: dict[date, list[str]] = {}
    for job in poster.sent:
        by_day.setdefault(job.local_date, []).append(job.prompt.key)
    assert len(by_day) == 5
    assert all(len(keys) == 2 and keys[0] != keys[1] for keys in by_day.values())
    assert {j.channel_id for j in poster.sent} == {10, 11}
    assert len({j.nonce for j in poster.sent}) == 10
    rows = await db.fetchall("SELECT schedule_name, status FROM prompt_posts")
    assert (
        sorted((r[0], r[1]) for r in rows) == [("weekdays", "sent")] * 5 + [("weekend", "sent")] * 5
    )


def test_a_prompt_another_schedule_posts_that_day_is_passed_over(db: Database) -> None:
    src = source(db, FakePoster(), Jobs())
    keys = rotation.eligible_keys(src.prompts, [], [])
    state = rotation.RotationState()
    next_up = rotation.peek(1, state, keys)
    assert next_up is not None
    memo = dispatch._Memo()
    picked = src._pick(1, rotation.StoredRotation(state.stored()), [], set(), memo, avoid={next_up})
    assert picked is not None and picked.key != next_up
    # Only when nothing else is left may it repeat, rather than post nothing.
    alone = src._pick(
        1, rotation.StoredRotation(state.stored()), [], set(), memo, topics=None, avoid=set(keys)
    )
    assert alone is not None and alone.key == next_up
