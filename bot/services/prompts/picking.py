"""Which prompt a claimed schedule posts, picked as the timer picks for a whole batch of servers.

What moderators queued comes first, then the server's rotation, kept to the schedule's topics
and passing over what the server's other schedules post that day. Which prompts are eligible
depends only on a server's own prompts, its excluded topics and the schedule's topics, and most
servers share all three, so a run works each combination out once and keeps it in `Eligible`.
`post_now.next_prompt` makes the same pick for one server, reading what it needs itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from bot.content.model import Prompt
from bot.db.prompt_queue import Queued
from bot.services.prompts import queue, rotation
from bot.services.prompts.model import CustomPrompt, PromptText

Eligible = dict[
    tuple[tuple[tuple[str, str | None], ...], frozenset[str], frozenset[str] | None],
    tuple[list[str], frozenset[str]],
]
"""(own prompts, excluded topics, the schedule's topics) -> the eligible keys, and as a set."""

Covers = dict[tuple[str, frozenset[str]], bool]
"""Per deck and set of keys, whether the order holds every one (see `StoredRotation.pick`)."""


def pick_prompt(
    prompts: Mapping[str, Prompt],
    guild_id: int,
    state: rotation.StoredRotation,
    own: list[CustomPrompt],
    excluded: Set[str],
    eligible: Eligible,
    covers: Covers,
    queued: Sequence[Queued] = (),
    spent: list[int] | None = None,
    *,
    topics: frozenset[str] | None = None,
    avoid: set[str] | frozenset[str] = frozenset(),
) -> PromptText | None:
    """What moderators queued comes first (its rows added to `spent`), then the rotation.

    `topics` is the schedule's own choice (None: every topic the server allows); `avoid` is
    what the server's other schedules post that day, left out unless nothing else is left.
    """
    if queued:
        taken = queue.take(queued, prompts, {c.key: c for c in own}, state.state)
        if spent is not None:
            spent.extend(taken.spent)
        if taken.text is not None:
            return taken.text
    same = (
        tuple((c.key, c.topic) for c in own) if own else (),
        excluded if isinstance(excluded, frozenset) else frozenset(excluded),
        topics,
    )
    found = eligible.get(same)
    if found is None:
        keys = rotation.eligible_keys(prompts, own, excluded)
        if topics is not None:
            keys = rotation.within_topics(keys, prompts, own, topics)
        found = eligible[same] = (keys, frozenset(keys))
    keys, allowed = found
    if avoid and not avoid.isdisjoint(allowed):
        keys = [k for k in keys if k not in avoid] or keys
        allowed = frozenset(keys)
    key = state.pick(guild_id, keys, allowed, covers)
    if key is None:
        return None
    return rotation.prompt_text(key, prompts, {c.key: c for c in own} if own else {})
