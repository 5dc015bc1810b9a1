"""When a daily prompt is due: local dates and wall-clock times turned into UTC instants.

Pure functions over zoneinfo, so every DST rule is testable without waiting for March. The two
awkward days are decided here and nowhere else:

- a local time that does not exist that day (clocks spring forward over it) posts at the first
  valid minute after it, which is the instant the clocks jumped;
- a local time that happens twice (clocks fall back) posts once, at the first occurrence (fold=0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import _
from bot.i18n.dates import weekday_names
from bot.services import timezones
from bot.services.prompts.model import PromptInputError
from bot.services.times import FORMS, BadTime, parse_time_of_day

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = 0b1111111
WORK_DAYS = 0b0011111
WEEKEND = 0b1100000
# A long outage is resolved by jumping, not by walking every missed day.
_LOOKBACK = timedelta(days=8)

_DAY_ALIASES = {
    "daily": EVERY_DAY,
    "every day": EVERY_DAY,
    "everyday": EVERY_DAY,
    "all": EVERY_DAY,
    "weekdays": WORK_DAYS,
    "workdays": WORK_DAYS,
    "weekends": WEEKEND,
    "weekend": WEEKEND,
}


@dataclass(frozen=True, order=True)
class Run:
    """One posting: the instant in UTC and the local date it belongs to (the exactly-once key)."""

    at_utc: datetime
    local_date: date


@dataclass(frozen=True)
class Rule:
    """A server's daily rule: a wall-clock time on some weekdays in one timezone."""

    at: time
    tz: ZoneInfo
    weekdays: int = EVERY_DAY

    def __post_init__(self) -> None:
        if not 0 < self.weekdays <= EVERY_DAY:
            raise ValueError("a rule needs at least one weekday")

    def runs_on(self, day: date) -> bool:
        return bool(self.weekdays >> day.weekday() & 1)

    def occurrence(self, day: date) -> Run:
        return Run(occurrence(day, self.at, self.tz), day)

    def next_after(self, after: datetime, *, after_date: date | None = None) -> Run:
        """The first run strictly after `after`, on a local date strictly after `after_date`."""
        day = after.astimezone(self.tz).date() - timedelta(days=1)
        if after_date is not None and after_date >= day:
            day = after_date + timedelta(days=1)
        for _day in range(16):
            if self.runs_on(day):
                run = self.occurrence(day)
                if run.at_utc > after:
                    return run
            day += timedelta(days=1)
        raise AssertionError("a rule with a weekday always runs within two weeks")

    def upcoming(self, after: datetime, count: int, *, after_date: date | None = None) -> list[Run]:
        runs: list[Run] = []
        for _run in range(count):
            run = self.next_after(after, after_date=after_date)
            runs.append(run)
            after, after_date = run.at_utc, run.local_date
        return runs


def occurrence(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `at` on local `day`, with the DST rules described above."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first  # exists; when ambiguous, fold=0 is the first occurrence
    # In a gap: find the transition, the first instant whose wall time is at or after `naive`.
    other = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low, high = sorted((int(first.timestamp()), int(other.timestamp())))
    while low < high:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle + 1
    jumped = datetime.fromtimestamp(low, UTC)
    if jumped.second or jumped.microsecond:  # transitions fall on whole minutes in practice
        jumped = jumped.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return jumped


@dataclass(frozen=True)
class Decision:
    """What to do with a schedule whose run is due: post (at most one), skip, move on."""

    post: Run | None
    missed: Run | None  # the oldest run skipped for being later than the grace window
    following: Run  # always after `now`, so nothing piles up


def decide(rule: Rule, due: Run, now: datetime, grace: timedelta) -> Decision:
    """Post the latest run that is due if it is within `grace`; older ones are skipped."""
    latest = due
    following = rule.next_after(due.at_utc, after_date=due.local_date)
    if following.at_utc <= now:
        latest = rule.next_after(max(due.at_utc, now - _LOOKBACK), after_date=due.local_date)
        following = rule.next_after(latest.at_utc, after_date=latest.local_date)
        while following.at_utc <= now:
            latest = following
            following = rule.next_after(latest.at_utc, after_date=latest.local_date)
    post = latest if now - latest.at_utc <= grace else None
    missed = due if post is None or post != due else None
    return Decision(post=post, missed=missed, following=following)


# Parsing what moderators type ---------------------------------------------------------------


def parse_time(text: str) -> time:
    try:
        return parse_time_of_day(text)
    except BadTime:
        raise PromptInputError(
            _(
                "“{typed}” isn't a time I can use. Please write a time of day such as {forms}."
            ).format(typed=(text or "").strip()[:20], forms=_(FORMS))
        ) from None


def format_time(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def parse_weekdays(text: str | None) -> int:
    """'mon,wed,fri', 'mon-fri', 'weekdays', 'weekends' or 'daily'; empty means every day."""
    raw = (text or "").strip().lower()
    if not raw:
        return EVERY_DAY
    if raw in _DAY_ALIASES:
        return _DAY_ALIASES[raw]
    mask = 0
    for part in re.split(r"[,\s]+", raw):
        if not part:
            continue
        ends = [p.strip()[:3] for p in part.split("-")]
        if len(ends) > 2 or any(end not in WEEKDAY_NAMES for end in ends):
            raise PromptInputError(
                _(
                    "I couldn't read “{typed}” as a day. Use short names such as mon,wed,fri, a "
                    "range like mon-fri, or one of: daily, weekdays, weekends."
                ).format(typed=part[:20])
            )
        first, last = WEEKDAY_NAMES.index(ends[0]), WEEKDAY_NAMES.index(ends[-1])
        index = first
        while True:
            mask |= 1 << index
            if index == last:
                break
            index = (index + 1) % 7
    return mask


def describe_weekdays(mask: int) -> str:
    """The days in the current locale: "every day", "Monday to Friday", "Monday, Friday"."""
    if mask == EVERY_DAY:
        return _("every day")
    if mask == WORK_DAYS:
        return _("Monday to Friday")
    if mask == WEEKEND:
        return _("Saturday and Sunday")
    return ", ".join(name for i, name in enumerate(weekday_names()) if mask >> i & 1)


def resolve_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name, case-insensitively; otherwise an error that offers close names."""
    try:
        return timezones.resolve_timezone(name)
    except timezones.UnknownTimezone as error:
        raise PromptInputError(str(error)) from None


autocomplete_timezones = timezones.autocomplete_timezones
