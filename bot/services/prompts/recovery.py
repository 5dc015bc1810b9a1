"""Start-up recovery: the claims a stopped process took but never saw sent.

A claim is committed before its post is submitted, so a crash in between leaves a claimed day
without a message id. On start-up each such claim still within the grace window is sent again,
with the same nonce, so Discord returns the first message if it had kept one. It only dedupes a
nonce for a few minutes, so a claim older than that is first looked for in the channel (the post
may have gone out just before the crash). A claim past the grace, or whose schedule or prompt is
gone, is marked missed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.content.model import Prompt
from bot.db import Storage, prompt_posts
from bot.db import prompt_library as library
from bot.db import prompts as repo
from bot.db.shards import ShardSet
from bot.services.prompts import rotation
from bot.services.prompts.delivery import HISTORY_MARGIN, NONCE_WINDOW, PromptDelivery
from bot.services.prompts.model import CustomPrompt, PostJob
from bot.services.prompts.rows import from_ts, job_for

log = logging.getLogger(__name__)


async def resend_unsent(
    db: Storage,
    prompts: Mapping[str, Prompt],
    delivery: PromptDelivery,
    now: datetime,
    *,
    grace: timedelta,
    batch_size: int,
    shards: ShardSet | None = None,
) -> None:
    """Re-send claims that never got a message id, if they are still within the grace window."""
    unsent = await prompt_posts.unsent_posts(db, shards)
    fresh = [p for p in unsent if now - from_ts(p.due_utc) <= grace]
    stale = [p for p in unsent if now - from_ts(p.due_utc) > grace]
    lost: list[prompt_posts.PostRow] = []
    for start in range(0, len(fresh), batch_size):
        chunk = fresh[start : start + batch_size]
        ids = sorted({p.guild_id for p in chunk})
        schedules = await repo.schedules_of(db, ids)
        customs = await library.custom_for(db, ids)
        for post in chunk:
            job = _rebuild(
                post, schedules.get((post.guild_id, post.schedule_name)), customs, prompts
            )
            if job is None:
                lost.append(post)
            else:
                delivery.deliver(job, check_since=_check_since(post, now))
    await prompt_posts.set_post_statuses(
        db, [("missed", p.guild_id, p.schedule_name, p.local_date) for p in stale + lost]
    )
    if fresh:
        log.info("Re-sending %d claimed prompt(s) after a restart", len(fresh) - len(lost))
    if stale or lost:
        log.warning(
            "Skipped %d unsent prompt(s) after a restart: %d more than %s late, %d whose "
            "schedule or prompt is gone (e.g. guild %s)",
            len(stale) + len(lost), len(stale), grace, len(lost),
            (stale + lost)[0].guild_id,
        )  # fmt: skip


def _check_since(post: prompt_posts.PostRow, now: datetime) -> datetime | None:
    """Every send of a claim comes after `claimed_utc`: a younger claim's nonce still holds."""
    claimed = from_ts(post.claimed_utc)
    return claimed - HISTORY_MARGIN if now - claimed > NONCE_WINDOW else None


def _rebuild(
    post: prompt_posts.PostRow,
    schedule: repo.ScheduleRow | None,
    customs: Mapping[int, list[CustomPrompt]],
    prompts: Mapping[str, Prompt],
) -> PostJob | None:
    if schedule is None:
        return None
    own = {c.key: c for c in customs.get(post.guild_id, [])}
    text = rotation.prompt_text(post.prompt_key, prompts, own)
    if text is None:
        return None
    job = job_for(schedule, date.fromisoformat(post.local_date), text, post.claimed_utc)
    return replace(job, channel_id=post.channel_id)
