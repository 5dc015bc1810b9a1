"""Which prompt a server gets next: a shuffled order kept per server, no repeat until exhaustion.

The order is persisted (not re-derived), so adding a prompt or excluding a topic never reshuffles
what is left. A prompt is picked as the first key in the order that is still eligible and not yet
used this cycle; when every eligible prompt has been used, a new cycle starts with a fresh
shuffle that never opens with the prompt that closed the previous one.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.content.model import Prompt
from bot.db.prompt_library import NOTE_PREFIX
from bot.services.prompts.model import CUSTOM_PREFIX, CustomPrompt, PromptText, custom_text


@dataclass
class RotationState:
    sequence: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, sequence: str | None, used: str | None) -> RotationState:
        return cls(
            sequence=[k for k in (sequence or "").split("\n") if k],
            used={k for k in (used or "").split("\n") if k},
        )

    def dump(self) -> tuple[str, str]:
        used = [k for k in self.sequence if k in self.used]
        return "\n".join(self.sequence), "\n".join(used)

    def copy(self) -> RotationState:
        return RotationState(list(self.sequence), set(self.used))


class StoredRotation:
    """A server's rotation as it is stored, parsed only when a pick needs more than the next key.

    Part-way through a cycle, what the cycle used is nearly always the start of the order, so
    the next prompt is the key right after it and the stored `used` only grows by that key.
    Picking that way reads two strings and writes one, where parsing the order and the used set
    into Python objects and writing both back cost about thirty times as much per pick: after an
    outage tens of thousands of servers pick at once. Anything else (a key that is not eligible,
    a prompt that has to join the order, the end of a cycle, a queued prompt) goes through
    `RotationState` and `pick`, so the two ways always agree.
    """

    def __init__(self, sequence: str | None, used: str | None) -> None:
        self._sequence = sequence or ""
        self._used = used or ""
        self._known: frozenset[str] | None = None
        self._state: RotationState | None = None

    @property
    def state(self) -> RotationState:
        """The parsed rotation; from then on every pick goes through it."""
        if self._state is None:
            self._state = RotationState.load(self._sequence, self._used)
        return self._state

    def pick(
        self, guild_id: int, eligible: Sequence[str], allowed: frozenset[str] | None = None
    ) -> str | None:
        """As `pick` on the parsed state; `allowed` is `eligible` as a set, if the caller has it."""
        if self._state is None and eligible:
            key = self._next_in_order(frozenset(eligible) if allowed is None else allowed)
            if key is not None:
                return key
        return pick(guild_id, self.state, eligible)

    def dump(self) -> tuple[str, str]:
        return self._state.dump() if self._state is not None else (self._sequence, self._used)

    def _next_in_order(self, allowed: frozenset[str]) -> str | None:
        """The key right after a used start of the order, if that is what `pick` would give."""
        sequence, used = self._sequence, self._used
        if used and not (sequence.startswith(used) and sequence[len(used) : len(used) + 1] == "\n"):
            return None  # used is not the start of the order (or it is all of it)
        start = len(used) + 1 if used else 0
        end = sequence.find("\n", start)
        key = sequence[start:] if end < 0 else sequence[start:end]
        if key not in allowed:
            return None
        if self._known is None:
            keys = sequence.split("\n")
            self._known = frozenset(keys) if len(set(keys)) == len(keys) else frozenset()
        if not allowed <= self._known:
            return None  # an eligible prompt still has to join the order (or a key repeats)
        self._used = f"{used}\n{key}" if used else key
        return key


def _rng(guild_id: int, state: RotationState) -> random.Random:
    """Seeded from the server and its state, so a preview shows exactly what will be posted."""
    digest = hashlib.sha256(f"{guild_id}|{len(state.used)}|{'|'.join(state.sequence)}".encode())
    return random.Random(digest.digest())


def _shuffled(keys: list[str], rng: random.Random) -> list[str]:
    """A uniform shuffle, ordered by one random draw per key.

    `random.shuffle` draws every swap in Python; after an outage each of thousands of servers
    may start a new order at once, and this costs a tenth as much for a deck of a hundred.
    """
    return [key for _, key in sorted(zip([rng.random() for _ in keys], keys, strict=True))]


def pick(guild_id: int, state: RotationState, eligible: Sequence[str]) -> str | None:
    """The next key, marking it used in `state` (mutated). None when nothing is eligible."""
    if not eligible:
        return None
    allowed = set(eligible)
    known = set(state.sequence)
    missing = [key for key in eligible if key not in known]
    if missing:
        rng = _rng(guild_id, state)
        missing = _shuffled(missing, rng)
        if not state.sequence:
            state.sequence = missing  # a server's first pick: the shuffle is the order
        else:
            # New prompts join the part of the order not yet reached in this cycle.
            cut = max((i + 1 for i, k in enumerate(state.sequence) if k in state.used), default=0)
            for key in missing:
                state.sequence.insert(rng.randint(cut, len(state.sequence)), key)
    for key in state.sequence:
        if key in allowed and key not in state.used:
            state.used.add(key)
            return key
    # Every eligible prompt was used: a new cycle.
    last = next((k for k in reversed(state.sequence) if k in state.used and k in allowed), None)
    fresh = _shuffled(sorted(allowed), _rng(guild_id, state))
    if len(fresh) > 1 and fresh[0] == last:
        fresh[0], fresh[-1] = fresh[-1], fresh[0]
    state.sequence = fresh
    state.used = {fresh[0]}
    return fresh[0]


def peek(guild_id: int, state: RotationState, eligible: Sequence[str]) -> str | None:
    return pick(guild_id, state.copy(), eligible)


def eligible_keys(
    builtin: Mapping[str, Prompt], custom: Iterable[CustomPrompt], excluded: Iterable[str]
) -> list[str]:
    """Built-in and the server's own prompts, minus excluded topics and content-note kinds
    (`note:<id>`, as the repository reads them), in a stable order."""
    left_out = set(excluded)
    notes_out = {v.removeprefix(NOTE_PREFIX) for v in left_out if v.startswith(NOTE_PREFIX)}
    keys = [
        pid
        for pid, p in builtin.items()
        if p.topic not in left_out and notes_out.isdisjoint(p.content_notes)
    ]
    keys += [c.key for c in custom if c.topic is None or c.topic not in left_out]
    keys.sort()
    return keys


def prompt_text(
    key: str, builtin: Mapping[str, Prompt], custom: Mapping[str, CustomPrompt]
) -> PromptText | None:
    if key.startswith(CUSTOM_PREFIX):
        found = custom.get(key)
        return custom_text(found) if found else None
    prompt = builtin.get(key)
    if prompt is None:
        return None
    return PromptText(prompt.id, prompt.text, prompt.topic, None, prompt.content_notes)


def topics_of(stored: str | None) -> frozenset[str] | None:
    """A schedule's stored topic choice (newline-separated ids); None means every topic."""
    if stored is None:
        return None
    chosen = frozenset(t for t in stored.split("\n") if t)
    return chosen or None


def within_topics(
    keys: Sequence[str],
    builtin: Mapping[str, Prompt],
    custom: Iterable[CustomPrompt],
    topics: frozenset[str],
) -> list[str]:
    """The keys whose prompt is on one of `topics`, in the same order (a schedule's own choice,
    on top of the server's exclusions; a prompt without a topic is left out)."""
    topic_of: dict[str, str | None] = {c.key: c.topic for c in custom}
    topic_of.update((pid, p.topic) for pid, p in builtin.items())
    return [k for k in keys if topic_of.get(k) in topics]
