"""Stored schedule rows as the services want them: rules, instants from timestamps, and the
post a claimed run of a schedule makes.

The database keeps UTC instants as integer seconds (indexed, compared in SQL); the services work
with aware datetimes and immutable `Rule`s.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from bot.db import prompts as repo
from bot.services.prompts.model import PostJob, PromptText
from bot.services.prompts.schedule import Rule, parse_time, resolve_timezone


def rule_of(schedule: repo.ScheduleRow) -> Rule:
    return rule_for(schedule.local_time, schedule.timezone, schedule.weekdays)


@lru_cache(maxsize=4096)
def rule_for(local_time: str, timezone: str, weekdays: int) -> Rule:
    """Rules repeat across servers (same time, zone and days), and they are immutable."""
    return Rule(parse_time(local_time), resolve_timezone(timezone), weekdays)


def to_ts(moment: datetime) -> int:
    return int(moment.timestamp())


def from_ts(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def job_for(schedule: repo.ScheduleRow, day: date, text: PromptText, claimed_utc: int) -> PostJob:
    """The post of the schedule's run on local `day`, claimed at `claimed_utc`."""
    return PostJob(
        guild_id=schedule.guild_id,
        local_date=day,
        channel_id=schedule.channel_id,
        prompt=text,
        use_thread=schedule.use_thread,
        pin=schedule.pin,
        with_excerpt=schedule.with_excerpt,
        schedule_name=schedule.name,
        schedule_id=schedule.id,
        claimed_utc=claimed_utc,
    )
