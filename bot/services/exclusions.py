"""What a server leaves out of what Mutual picks for it: whole topics and content-note kinds.

One definition serves every place that chooses on the server's behalf (the excerpt of the day,
/learn random, excerpts after a self-check, the daily prompt, /discuss suggestions), so a
server that leaves out, say, childhood abuse never meets it in any of them. A member who asks
for a passage by name still gets it, behind its content note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.content.model import Excerpt, Guide, Prompt
from bot.db import Storage
from bot.db.prompt_library import NOTE_PREFIX, excluded_for


@dataclass(frozen=True)
class Exclusions:
    topics: frozenset[str] = frozenset()
    notes: frozenset[str] = frozenset()

    def allows(self, topics: Iterable[str], notes: Iterable[str]) -> bool:
        return self.topics.isdisjoint(topics) and self.notes.isdisjoint(notes)

    def allows_excerpt(self, excerpt: Excerpt) -> bool:
        return self.allows(excerpt.topics, excerpt.content_notes)

    def allows_prompt(self, prompt: Prompt) -> bool:
        return self.allows((prompt.topic,), prompt.content_notes)

    def allows_guide(self, guide: Guide) -> bool:
        return self.allows((guide.topic,), guide.content_notes)

    def __bool__(self) -> bool:
        return bool(self.topics or self.notes)


NOTHING_EXCLUDED = Exclusions()


async def exclusions_for(db: Storage, guild_id: int | None) -> Exclusions:
    if guild_id is None:
        return NOTHING_EXCLUDED
    return from_set((await excluded_for(db, [guild_id])).get(guild_id, set()))


def from_set(values: Iterable[str]) -> Exclusions:
    """The one-set form the repository reads for a batch of servers, split into its parts."""
    topics = {v for v in values if not v.startswith(NOTE_PREFIX)}
    notes = {v.removeprefix(NOTE_PREFIX) for v in values if v.startswith(NOTE_PREFIX)}
    return Exclusions(frozenset(topics), frozenset(notes))
