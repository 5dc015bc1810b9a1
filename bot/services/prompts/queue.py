"""Prompts moderators chose to post next: taken in order before the rotation picks.

A queued prompt is used up in the same transaction that claims its post, so the exactly-once
claim covers it too: a day that already has its post leaves the queue as it was. A queued prompt
removed from the library meanwhile is dropped on the way, never posted.

The queue is the server's, not a schedule's: whichever of the server's schedules claims its post
next takes the first queued prompt (schedules due in the same batch take them in schedule order),
and `/prompts post-now` takes it too. A queued prompt ignores that schedule's own topic choice:
a moderator chose it on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.content import Content
from bot.content.model import Prompt
from bot.db import Storage
from bot.db import prompt_queue as repo
from bot.i18n import _, ngettext
from bot.i18n.numbers import number
from bot.services.prompts import rotation
from bot.services.prompts.library import text_for_key
from bot.services.prompts.model import CustomPrompt, PromptInputError, PromptText

MAX_QUEUED = 25


@dataclass(frozen=True)
class Taken:
    text: PromptText | None
    spent: list[int]
    """Queue rows used up: the one taken and any before it whose prompt is gone."""


def take(
    queued: Sequence[repo.Queued],
    builtin: Mapping[str, Prompt],
    own: Mapping[str, CustomPrompt],
    state: rotation.RotationState,
) -> Taken:
    """The first queued prompt that still exists; marked used in `state` (mutated), so the
    rotation does not bring it round again this cycle."""
    spent: list[int] = []
    for item in queued:
        spent.append(item.id)
        text = rotation.prompt_text(item.prompt_key, builtin, own)
        if text is not None:
            if text.key not in state.sequence:
                state.sequence.insert(0, text.key)  # the part of the order already reached
            state.used.add(text.key)
            return Taken(text, spent)
    return Taken(None, spent)


class PromptQueue:
    def __init__(self, db: Storage, content: Content) -> None:
        self.db = db
        self.content = content

    async def _text(self, guild_id: int, key: str) -> PromptText | None:
        return await text_for_key(self.db, self.content.prompts, guild_id, key)

    async def add(self, guild_id: int, key: str) -> tuple[PromptText, int]:
        """Queue a prompt; returns it and its place in the queue."""
        text = await self._text(guild_id, key.strip())
        if text is None:
            raise PromptInputError(
                _("I don't know that prompt. Pick one from the suggestions as you type.")
            )
        async with self.db.transaction() as tx:
            waiting = (await repo.queued_for(tx, [guild_id])).get(guild_id, [])
            if len(waiting) >= MAX_QUEUED:
                raise PromptInputError(
                    ngettext(
                        "The queue already holds {count} prompt, the most it keeps.",
                        "The queue already holds {count} prompts, the most it keeps.",
                        MAX_QUEUED,
                    ).format(count=number(MAX_QUEUED))
                )
            if not await repo.enqueue(tx, guild_id, text.key):
                raise PromptInputError(_("That prompt is already in the queue."))
        return text, len(waiting) + 1

    async def waiting(self, guild_id: int) -> list[PromptText]:
        """The queue in posting order, without prompts removed from the library meanwhile."""
        queued = (await repo.queued_for(self.db, [guild_id])).get(guild_id, [])
        texts = [await self._text(guild_id, q.prompt_key) for q in queued]
        return [t for t in texts if t is not None]

    async def clear(self, guild_id: int) -> int:
        return await repo.clear(self.db, guild_id)
