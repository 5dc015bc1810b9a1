"""Today's prompt posted now, on a moderator's word, and the next prompt previewed.

Both pick the prompt as the timer would (queued prompts first, then the rotation), so a preview
shows what will really be posted. Posting now claims the day under the same one-a-day rule as
the timer, in one transaction with the rotation and queue it uses up: whichever claim comes
first wins, and the scheduled post for today then stands down.
"""

from __future__ import annotations

from datetime import datetime

from bot.content import Content
from bot.db import Storage, prompt_posts, prompt_queue, prompt_rotation
from bot.db import prompt_library as library
from bot.db import prompts as repo
from bot.i18n import _
from bot.services.prompts import queue, rotation
from bot.services.prompts.model import PostJob, PromptInputError, PromptText
from bot.services.prompts.rows import job_for, rule_of, to_ts
from bot.services.prompts.schedule_names import find_schedule


async def next_prompt(
    conn: repo.Conn,
    content: Content,
    guild_id: int,
    schedule: repo.ScheduleRow | None,
    avoid: set[str] | None = None,
) -> tuple[PromptText | None, rotation.RotationState, list[int]]:
    """The next prompt as the timer would pick it (queued first), the rotation as it would
    be after, and the queue rows it would use up. `avoid`: prompts the server's other
    schedules post that day, left out while anything else is left."""
    row = (await prompt_rotation.rotations_for(conn, [guild_id])).get(guild_id)
    state = rotation.RotationState.of(rotation.Stored(*row) if row else rotation.Stored())
    own = (await library.custom_for(conn, [guild_id])).get(guild_id, [])
    queued = (await prompt_queue.queued_for(conn, [guild_id])).get(guild_id, [])
    taken = queue.take(queued, content.prompts, {c.key: c for c in own}, state)
    if taken.text is not None:
        return taken.text, state, taken.spent
    excluded = (await library.excluded_for(conn, [guild_id])).get(guild_id, set())
    keys = rotation.eligible_keys(content.prompts, own, excluded)
    topics = rotation.topics_of(schedule.topics) if schedule is not None else None
    if topics is not None:
        keys = rotation.within_topics(keys, content.prompts, own, topics)
    if avoid:
        keys = [k for k in keys if k not in avoid] or keys
    key = rotation.pick(guild_id, state, keys)
    text = (
        None if key is None else rotation.prompt_text(key, content.prompts, {c.key: c for c in own})
    )
    return text, state, taken.spent  # fmt: skip


async def preview(db: Storage, content: Content, guild_id: int, name: str | None) -> PromptText:
    """The prompt the named schedule (or the server's first) would post next. Read-only."""
    schedule = await find_schedule(db, guild_id, name)
    async with db.transaction() as tx:
        text, _state, _spent = await next_prompt(tx, content, guild_id, schedule)
    if text is None:
        raise PromptInputError(_("Every topic is excluded here, so there is no prompt to show."))
    return text


async def claim_now(
    db: Storage, content: Content, now: datetime, guild_id: int, name: str | None
) -> PostJob:
    """Claim today's post for an immediate send; the scheduled one for today then stands down."""
    async with db.transaction() as tx:
        schedule = await find_schedule(tx, guild_id, name)
        if schedule is None:
            raise PromptInputError(
                _(
                    "Daily prompts aren't set up here yet. Run /prompts setup first, so I "
                    "know which channel to post in."
                )
            )
        rule = rule_of(schedule)
        today = now.astimezone(rule.tz).date()
        existing = await prompt_posts.get_post(tx, guild_id, today.isoformat(), schedule.name)
        if existing is not None and existing.status != "failed":
            raise _already_posted()
        avoid = await prompt_posts.keys_posted_on(tx, guild_id, today.isoformat())
        text, state, spent = await next_prompt(tx, content, guild_id, schedule, avoid)
        if text is None:
            raise PromptInputError(
                _("Every topic is excluded here, so there is no prompt to post.")
            )
        won = await prompt_posts.claim_posts(
            tx, [(guild_id, schedule.name, today.isoformat(), schedule.channel_id, text.key,
                  to_ts(now), to_ts(now))]
        )  # fmt: skip
        if (guild_id, schedule.name) not in won:  # the timer's claim elsewhere came first
            raise _already_posted()
        stored = state.stored()
        await prompt_rotation.save_rotations(
            tx, [(guild_id, stored.sequence, stored.deck)],
            [(guild_id, stored.reached, stored.used)],
        )  # fmt: skip
        await prompt_queue.remove(tx, spent)
        if schedule.next_run_utc is not None and schedule.next_local_date == today.isoformat():
            following = rule.next_after(now, after_date=today)
            await repo.move_schedules(
                tx, [(to_ts(following.at_utc), following.local_date.isoformat(),
                      today.isoformat(), schedule.id, schedule.next_run_utc)]
            )  # fmt: skip
    return job_for(schedule, today, text, to_ts(now))


def _already_posted() -> PromptInputError:
    return PromptInputError(
        _(
            "Today's prompt is already posted (one a day keeps it calm). The next "
            "one comes at the scheduled time; /prompts status shows when."
        )
    )
