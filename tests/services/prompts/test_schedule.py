from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.services.prompts.model import PromptInputError
from bot.services.prompts.schedule import (
    EVERY_DAY,
    WORK_DAYS,
    Rule,
    Run,
    autocomplete_timezones,
    decide,
    describe_weekdays,
    occurrence,
    parse_time,
    parse_weekdays,
    resolve_timezone,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def local_runs(rule: Rule, clock: FakeClock, days: int) -> list[datetime]:
    """Walk the rule the way the dispatcher does: each run computed from the previous one."""
    runs = rule.upcoming(clock.now(), days)
    return [r.at_utc.astimezone(rule.tz) for r in runs]


def test_daily_runs_on_every_local_day_at_the_wall_clock_time() -> None:
    clock = FakeClock(utc(2026, 6, 1, 12))
    rule = Rule(time(9, 0), BERLIN)
    runs = local_runs(rule, clock, 3)
    assert [r.date() for r in runs] == [date(2026, 6, 2), date(2026, 6, 3), date(2026, 6, 4)]
    assert all((r.hour, r.minute) == (9, 0) for r in runs)
    assert runs[0].astimezone(UTC) == utc(2026, 6, 2, 7)


def test_a_run_later_today_is_today() -> None:
    rule = Rule(time(18, 30), NEW_YORK)
    run = rule.next_after(utc(2026, 6, 1, 12))
    assert run == Run(utc(2026, 6, 1, 22, 30), date(2026, 6, 1))


def test_weekday_schedule_skips_the_weekend() -> None:
    clock = FakeClock(utc(2026, 6, 5, 12))  # a Friday, after 09:00 Berlin
    rule = Rule(time(9, 0), BERLIN, WORK_DAYS)
    days = [r.date() for r in local_runs(rule, clock, 3)]
    assert days == [date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 10)]
    assert all(d.weekday() < 5 for d in days)


def test_after_date_never_repeats_a_posted_day() -> None:
    rule = Rule(time(21, 0), BERLIN)
    # 08:00 UTC on June 1: 21:00 that day is still ahead, but June 1 was already posted.
    run = rule.next_after(utc(2026, 6, 1, 8), after_date=date(2026, 6, 1))
    assert run.local_date == date(2026, 6, 2)


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected_utc", "expected_local"),
    [
        # Berlin springs forward on 29 March 2026: 02:00 CET -> 03:00 CEST.
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 0), (3, 0)),
        (BERLIN, date(2026, 3, 29), time(9, 0), utc(2026, 3, 29, 7, 0), (9, 0)),
        (BERLIN, date(2026, 3, 28), time(9, 0), utc(2026, 3, 28, 8, 0), (9, 0)),
        # Berlin falls back on 25 October 2026: 03:00 CEST -> 02:00 CET; 02:30 happens twice.
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30), (2, 30)),
        (BERLIN, date(2026, 10, 25), time(9, 0), utc(2026, 10, 25, 8, 0), (9, 0)),
        # New York springs forward on 8 March 2026: 02:00 EST -> 03:00 EDT.
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 0), (3, 0)),
        (NEW_YORK, date(2026, 3, 8), time(2, 0), utc(2026, 3, 8, 7, 0), (3, 0)),
        (NEW_YORK, date(2026, 3, 8), time(9, 0), utc(2026, 3, 8, 13, 0), (9, 0)),
        # New York falls back on 1 November 2026: 02:00 EDT -> 01:00 EST; 01:30 happens twice.
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), (1, 30)),
        (NEW_YORK, date(2026, 11, 1), time(9, 0), utc(2026, 11, 1, 14, 0), (9, 0)),
    ],
)
def test_dst_days(
    tz: ZoneInfo,
    day: date,
    at: time,
    expected_utc: datetime,
    expected_local: tuple[int, int],
) -> None:
    instant = occurrence(day, at, tz)
    assert instant == expected_utc
    wall = instant.astimezone(tz)
    assert (wall.hour, wall.minute) == expected_local
    assert wall.date() == day
    if (wall.hour, wall.minute) == (at.hour, at.minute):
        assert wall.fold == 0  # the first of two, when there are two


@pytest.mark.parametrize(
    ("tz", "start", "at", "days"),
    [
        (BERLIN, utc(2026, 3, 26, 12), time(2, 30), 6),  # spring forward, inside the gap
        (BERLIN, utc(2026, 10, 22, 12), time(2, 30), 6),  # fall back, inside the overlap
        (NEW_YORK, utc(2026, 3, 5, 12), time(2, 30), 6),
        (NEW_YORK, utc(2026, 10, 29, 12), time(1, 30), 6),
        (BERLIN, utc(2026, 3, 26, 12), time(9, 0), 6),
        (NEW_YORK, utc(2026, 10, 29, 12), time(9, 0), 6),
    ],
)
def test_across_a_dst_change_each_local_day_gets_exactly_one_run(
    tz: ZoneInfo, start: datetime, at: time, days: int
) -> None:
    clock = FakeClock(start)
    rule = Rule(at, tz)
    runs = rule.upcoming(clock.now(), days)
    local_days = [r.local_date for r in runs]
    assert local_days == [local_days[0] + timedelta(days=i) for i in range(days)]
    assert len({r.at_utc for r in runs}) == days
    for run in runs:
        wall = run.at_utc.astimezone(tz)
        assert wall.date() == run.local_date
        # Never late by an hour: either on time, or at the end of a gap (03:00).
        assert (wall.hour, wall.minute) in {(at.hour, at.minute), (3, 0)}
    # Walking the clock through the same period finds the same runs, one per local day.
    seen: list[date] = []
    after = clock.now()
    for _ in range(days):
        run = rule.next_after(after, after_date=seen[-1] if seen else None)
        clock.set(run.at_utc)
        seen.append(run.local_date)
        after = clock.now()
    assert seen == local_days


def test_fall_back_posts_once_not_in_the_repeated_hour() -> None:
    rule = Rule(time(1, 30), NEW_YORK)
    first = rule.next_after(utc(2026, 11, 1, 0))
    assert first == Run(utc(2026, 11, 1, 5, 30), date(2026, 11, 1))
    # An hour later it is 01:30 again on the wall clock, but the day already had its run.
    second = rule.next_after(first.at_utc, after_date=first.local_date)
    assert second.local_date == date(2026, 11, 2)
    assert second.at_utc == utc(2026, 11, 2, 6, 30)


def test_grace_window_inside_posts_the_late_run() -> None:
    rule = Rule(time(9, 0), BERLIN)
    due = Run(utc(2026, 6, 2, 7), date(2026, 6, 2))
    decision = decide(rule, due, utc(2026, 6, 2, 11), timedelta(hours=6))
    assert decision.post == due and decision.missed is None
    assert decision.following.local_date == date(2026, 6, 3)


def test_grace_window_outside_skips_and_moves_past_now() -> None:
    rule = Rule(time(9, 0), BERLIN)
    due = Run(utc(2026, 6, 2, 7), date(2026, 6, 2))
    now = utc(2026, 6, 2, 14)  # seven hours late
    decision = decide(rule, due, now, timedelta(hours=6))
    assert decision.post is None and decision.missed == due
    assert decision.following == Run(utc(2026, 6, 3, 7), date(2026, 6, 3))


def test_a_long_outage_posts_only_the_latest_run_within_grace() -> None:
    rule = Rule(time(9, 0), BERLIN)
    due = Run(utc(2026, 6, 2, 7), date(2026, 6, 2))
    now = utc(2026, 6, 20, 8)  # 18 days later, one hour after that day's run
    decision = decide(rule, due, now, timedelta(hours=6))
    assert decision.post == Run(utc(2026, 6, 20, 7), date(2026, 6, 20))
    assert decision.missed == due
    assert decision.following.at_utc > now


def test_parse_time_accepts_24h_and_rejects_kindly() -> None:
    assert parse_time("09:05") == time(9, 5)
    assert parse_time("7:30") == time(7, 30)
    assert parse_time("23:59") == time(23, 59)
    for typed, meant in (
        ("9am", time(9, 0)),
        ("9:30 pm", time(21, 30)),
        ("9.30PM", time(21, 30)),
        ("21h", time(21, 0)),
        ("21h30", time(21, 30)),
        ("12am", time(0, 0)),
        ("12 p.m.", time(12, 0)),
        ("noon", time(12, 0)),
        ("0930", time(9, 30)),
    ):
        assert parse_time(typed) == meant, typed
    for bad in ("25:99", "24:00", "12:60", "13pm", "0am", "", "9", "soon"):
        with pytest.raises(PromptInputError, match="9:30 pm"):
            parse_time(bad)


def test_parse_weekdays() -> None:
    assert parse_weekdays(None) == EVERY_DAY
    assert parse_weekdays("weekdays") == WORK_DAYS
    assert parse_weekdays("mon-fri") == WORK_DAYS
    assert parse_weekdays("Mon, Wed, Fri") == 0b10101
    assert parse_weekdays("sat-mon") == 0b1100001
    assert describe_weekdays(0b10101) == "Monday, Wednesday, Friday"
    with pytest.raises(PromptInputError, match="day"):
        parse_weekdays("funday")


def test_timezones_resolve_case_insensitively_and_suggest() -> None:
    assert resolve_timezone("europe/berlin").key == "Europe/Berlin"
    with pytest.raises(PromptInputError, match="Europe/Berlin"):
        resolve_timezone("Europe/Berlinn")
    assert resolve_timezone("new york").key == "America/New_York"  # a city names its zone
    assert resolve_timezone("EST").key == "America/New_York"  # with its summer time
    assert resolve_timezone("cet").key == "Europe/Berlin"
    with pytest.raises(PromptInputError, match="Australia/Sydney, Australia/Brisbane"):
        resolve_timezone("AEST")  # Sydney and Brisbane differ in summer: ask
    with pytest.raises(PromptInputError, match="Asia/Kolkata, Europe/Dublin"):
        resolve_timezone("IST")
    assert autocomplete_timezones("EST")[0] == "America/New_York"
    assert autocomplete_timezones("AEST")[:2] == ["Australia/Sydney", "Australia/Brisbane"]
    assert not any(
        legacy in autocomplete_timezones(typed, 100)
        for typed, legacy in (
            ("aus", "Australia/West"),
            ("bra", "Brazil/East"),
            ("us", "US/Eastern"),
        )
    )
    assert autocomplete_timezones("oslo") == ["Europe/Oslo"]
    assert autocomplete_timezones("berl")[0] == "Europe/Berlin"
    assert "America/New_York" in autocomplete_timezones("new_y")
    assert len(autocomplete_timezones("a")) == 25
