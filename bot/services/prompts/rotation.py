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


@dataclass(frozen=True)
class Stored:
    """A server's rotation as the database keeps it (see migration 016).

    The order is written only when it changes (a new cycle, prompts joining); a pick writes only
    the place: `reached`, how many keys at the start of the order this cycle has used, and
    `used`, any used past them (a key taken out of turn), newline-separated in order. `deck`
    fingerprints the order's set of keys (None until the order is next written).
    """

    sequence: str = ""
    deck: str | None = None
    reached: int = 0
    used: str = ""


@dataclass
class RotationState:
    sequence: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, sequence: str | None, used: str | None, reached: int = 0) -> RotationState:
        keys = [k for k in (sequence or "").split("\n") if k]
        return cls(
            sequence=keys,
            used=set(keys[:reached]) | {k for k in (used or "").split("\n") if k},
        )

    @classmethod
    def of(cls, stored: Stored) -> RotationState:
        return cls.load(stored.sequence, stored.used, stored.reached)

    def dump(self) -> tuple[str, str]:
        """The order and every key this cycle used, in order (what `load` reads back)."""
        used = [k for k in self.sequence if k in self.used]
        return "\n".join(self.sequence), "\n".join(used)

    def stored(self) -> Stored:
        reached = 0
        while reached < len(self.sequence) and self.sequence[reached] in self.used:
            reached += 1
        past = [k for k in self.sequence[reached:] if k in self.used]
        return Stored("\n".join(self.sequence), deck_of(self.sequence), reached, "\n".join(past))

    def copy(self) -> RotationState:
        return RotationState(list(self.sequence), set(self.used))


def deck_of(keys: Iterable[str]) -> str:
    """A fingerprint of a set of keys, whatever their order."""
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:32]


class StoredRotation:
    """A server's stored rotation, parsed only when a pick needs more than the next key.

    Part-way through a cycle the next prompt is nearly always the key at the stored position,
    and the pick only moves the position on: no parsing of the order into Python objects, no
    rewrite of it. That cost about thirty times as much per pick, and after an outage tens of
    thousands of servers pick at once. Whether every eligible prompt is already in the order is
    answered once per deck (`covers`, the caller's memo), not by reading each server's order.
    Anything else (a key that is not eligible, a prompt that has to join the order, the end of
    a cycle, a queued prompt) goes through `RotationState` and `pick`, so both ways agree.
    """

    def __init__(self, stored: Stored) -> None:
        self._stored = stored
        self._position = stored.reached
        self._state: RotationState | None = None

    @property
    def state(self) -> RotationState:
        """The parsed rotation; from then on every pick goes through it."""
        if self._state is None:
            self._state = RotationState.load(
                self._stored.sequence, self._stored.used, self._position
            )
        return self._state

    def pick(
        self,
        guild_id: int,
        eligible: Sequence[str],
        allowed: frozenset[str] | None = None,
        covers: dict[tuple[str, frozenset[str]], bool] | None = None,
    ) -> str | None:
        """As `pick` on the parsed state. `allowed` is `eligible` as a set, if the caller has
        it; `covers` remembers, per deck and set, whether the order holds every eligible key."""
        if self._state is None and eligible:
            allowed = frozenset(eligible) if allowed is None else allowed
            key = self._next_in_order(allowed, {} if covers is None else covers)
            if key is not None:
                return key
        return pick(guild_id, self.state, eligible)

    def rows(self) -> tuple[Stored | None, Stored]:
        """(the order to write, or None when it is stored as it is; the place to write)."""
        if self._state is not None:
            stored = self._state.stored()
            return (None if self._same_order(stored) else stored), stored
        stored = self._stored
        place = Stored(stored.sequence, stored.deck, self._position, stored.used)
        if stored.deck is None:  # stored before decks: written once with its deck
            order = Stored(stored.sequence, deck_of(self._keys()), stored.reached, stored.used)
            return order, Stored(order.sequence, order.deck, self._position, stored.used)
        return None, place

    def _same_order(self, stored: Stored) -> bool:
        return stored.sequence == self._stored.sequence and stored.deck == self._stored.deck

    def _keys(self) -> list[str]:
        return [k for k in self._stored.sequence.split("\n") if k]

    def _next_in_order(
        self, allowed: frozenset[str], covers: dict[tuple[str, frozenset[str]], bool]
    ) -> str | None:
        """The key at the position, if that is what `pick` would give."""
        stored = self._stored
        sequence = stored.sequence
        if stored.used or not sequence or "\n\n" in sequence or sequence.endswith("\n"):
            return None  # keys used out of turn, or an order `load` would read differently
        parts = sequence.split("\n", self._position + 1)
        if self._position >= len(parts):
            return None  # the cycle is over
        key = parts[self._position]
        if key not in allowed or not self._covers(allowed, covers):
            return None
        self._position += 1
        return key

    def _covers(
        self, allowed: frozenset[str], covers: dict[tuple[str, frozenset[str]], bool]
    ) -> bool:
        """Whether every allowed key is in the order already (and none of its keys repeats)."""
        deck = self._stored.deck
        if deck is not None and (deck, allowed) in covers:
            return covers[(deck, allowed)]
        keys = self._keys()
        known = frozenset(keys)
        answer = len(known) == len(keys) and allowed <= known
        if deck is not None and deck == deck_of(known) and len(covers) < MEMO_DECKS:
            covers[(deck, allowed)] = answer
        return answer


MEMO_DECKS = 1024
"""Decks remembered per run: servers with prompts of their own each have a deck of their own."""


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
