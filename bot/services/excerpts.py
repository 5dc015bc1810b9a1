"""The excerpt library: the one way every feature reads, finds and attributes article excerpts.

Orders are derived from the content alone (never from load order or randomness), so a page index
carried in a button's custom id still points at the same excerpt after a restart.

Excerpts are quotations and stay word for word in their articles' language; the words around
them (topic labels, content notes) are read in the current locale each time they are shown.
"""

from __future__ import annotations

import difflib
import hashlib
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.content import Content, Excerpt, Source, Topic
from bot.i18n import current_locale
from bot.services.excerpt_index import (
    STOPWORDS,
    Document,
    SearchIndex,
    build_index,
    query_terms,
)
from bot.services.exclusions import NOTHING_EXCLUDED, Exclusions

SEARCH_LIMIT = 5
SUGGESTION_LIMIT = 5
AUTOCOMPLETE_LIMIT = 25
EXCERPTS_LANGUAGE = "en"
"""The language every article of the library is written in, so every excerpt is quoted in."""


def quoted_in_another_language() -> bool:
    """True when the reader's language is not the excerpts' own: a frame then says the passage
    is quoted in its original language rather than leaving the reader to wonder."""
    return current_locale().split("-")[0] != EXCERPTS_LANGUAGE


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Numbers compare as numbers, so ids numbered without padding still read in order."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)
    )


def _folded(text: str) -> str:
    return " ".join(re.split(r"[\s\-_]+", text.lower())).strip()


@dataclass(frozen=True)
class Page:
    """One excerpt of a topic, with where it sits among that topic's excerpts."""

    topic: Topic
    index: int
    total: int
    excerpt: Excerpt

    @property
    def has_previous(self) -> bool:
        return self.index > 0

    @property
    def has_next(self) -> bool:
        return self.index < self.total - 1


@dataclass(frozen=True)
class Hit:
    excerpt: Excerpt
    highlighted: str  # the excerpt text with matched words between Discord bold markers


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    suggestions: tuple[Topic, ...]  # topics to browse instead, filled only when nothing matched
    partial: bool = False
    """No passage has every word and phrase; these hits have some of them."""


@dataclass(frozen=True)
class SourceCount:
    source: Source
    count: int


class ExcerptLibrary:
    def __init__(
        self,
        content: Content,
        *,
        index: SearchIndex | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._content = content
        self._rng = rng or random.Random()
        self._all = tuple(sorted(content.excerpts.values(), key=lambda e: _natural_key(e.id)))
        self._by_topic: dict[str, tuple[Excerpt, ...]] = {}
        for topic_id in content.topics:
            found = tuple(e for e in self._all if topic_id in e.topics)
            if found:
                self._by_topic[topic_id] = found
        # A fixed mix of all excerpts, so consecutive days rarely come from the same article.
        self._daily = tuple(sorted(self._all, key=lambda e: hashlib.sha256(e.id.encode()).digest()))
        self._index = index or build_index(
            # Indexed under the English labels, the language the excerpts are written in.
            Document(e.id, e.text, " ".join(content.topic_label(t) for t in e.topics))
            for e in self._all
        )

    def __len__(self) -> int:
        return len(self._all)

    def get(self, excerpt_id: str) -> Excerpt | None:
        return self._content.excerpts.get(excerpt_id)

    def source_of(self, excerpt: Excerpt) -> Source:
        return self._content.sources[excerpt.source]

    def attribution(self, excerpt: Excerpt) -> str:
        """Title, then site or author and date only where the article gives them."""
        return self.source_of(excerpt).attribution

    def topic_labels(self, excerpt: Excerpt) -> list[str]:
        here = self._localised()
        return [here.topic_label(topic_id) for topic_id in excerpt.topics]

    def _localised(self) -> Content:
        """The content in the current locale, for labels and notes (structure is the same)."""
        return self._content.for_locale(current_locale())

    # Topics -------------------------------------------------------------------------------------

    def topics(self) -> list[Topic]:
        """Topics that have at least one excerpt, in the order topics.toml lists them."""
        topics = self._localised().topics
        return [topics[topic_id] for topic_id in self._by_topic]

    def find_topic(self, typed: str) -> Topic | None:
        """A topic by id or by label, as autocomplete sends one or a member types one."""
        wanted = _folded(typed)
        for topic in self.topics():
            if wanted in (_folded(topic.id), _folded(topic.label)):
                return topic
        return None

    def matching_topics(self, typed: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[Topic]:
        """Autocomplete: labels starting with the text first, then a word starting with it, then
        the text anywhere in the label or id."""
        wanted = _folded(typed)
        ranked: list[tuple[int, int, Topic]] = []
        for position, topic in enumerate(self.topics()):
            label = _folded(topic.label)
            if label.startswith(wanted):
                rank = 0
            elif any(word.startswith(wanted) for word in label.split()):
                rank = 1
            elif wanted in label or wanted in _folded(topic.id):
                rank = 2
            else:
                continue
            ranked.append((rank, position, topic))
        ranked.sort(key=lambda entry: (entry[0], entry[1]))
        return [topic for _, _, topic in ranked[:limit]]

    def page(self, topic_id: str, index: int) -> Page | None:
        """The excerpt at `index` in a topic, clamped into range; None for an unknown topic."""
        excerpts = self._by_topic.get(topic_id)
        if not excerpts:
            return None
        index = min(max(index, 0), len(excerpts) - 1)
        topic = self._localised().topics[topic_id]
        return Page(topic, index, len(excerpts), excerpts[index])

    # Reading ------------------------------------------------------------------------------------

    def random(self, exclusions: Exclusions = NOTHING_EXCLUDED) -> Excerpt | None:
        allowed = (
            [e for e in self._all if exclusions.allows_excerpt(e)] if exclusions else self._all
        )
        return self._rng.choice(allowed) if allowed else None

    def note(self, excerpt: Excerpt) -> str | None:
        """The excerpt's content note, named before its text wherever it appears."""
        return self._localised().notes_label(excerpt.content_notes)

    def sources(self) -> list[SourceCount]:
        counts = Counter(excerpt.source for excerpt in self._all)
        return [SourceCount(source, counts[source.id]) for source in self._content.sources.values()]

    def related(
        self, topics: Sequence[str], limit: int, exclusions: Exclusions = NOTHING_EXCLUDED
    ) -> list[Excerpt]:
        """Excerpts sharing the most of `topics`; ties take turns across the topics, so every
        topic of, say, a self-check result is represented before any gets a second excerpt."""
        wanted = list(dict.fromkeys(topics))
        turn: dict[str, int] = {}
        for topic_id in wanted:
            for position, excerpt in enumerate(self._by_topic.get(topic_id, ())):
                turn[excerpt.id] = min(turn.get(excerpt.id, position), position)
        order = {excerpt.id: i for i, excerpt in enumerate(self._all)}

        def rank(excerpt: Excerpt) -> tuple[int, int, int]:
            shared = sum(1 for topic_id in wanted if topic_id in excerpt.topics)
            return (-shared, turn[excerpt.id], order[excerpt.id])

        candidates = [e for e in self._all if e.id in turn and exclusions.allows_excerpt(e)]
        return sorted(candidates, key=rank)[: max(limit, 0)]

    def excerpt_of_the_day(
        self, guild_id: int, local_date: date, exclusions: Exclusions = NOTHING_EXCLUDED
    ) -> Excerpt | None:
        """The same excerpt all day for a server, a different one each day; a server sees every
        excerpt once before any repeats, and servers start at different places. An excerpt the
        server leaves out is passed over for the next one in the same order."""
        if not self._daily:
            return None
        offset = int.from_bytes(hashlib.sha256(str(guild_id).encode()).digest()[:8], "big")
        start = local_date.toordinal() + offset
        for step in range(len(self._daily)):
            excerpt = self._daily[(start + step) % len(self._daily)]
            if exclusions.allows_excerpt(excerpt):
                return excerpt
        return None

    # Search -------------------------------------------------------------------------------------

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> SearchResult:
        """Passages with every word and phrase first; only when none has them all, passages
        with some of them, said so."""
        matches = self._index.search(query, limit, every=True)
        partial = not matches
        if partial:
            matches = self._index.search(query, limit, every=False)
        hits = tuple(Hit(self._content.excerpts[m.id], m.highlighted) for m in matches)
        suggestions = () if hits else tuple(self.suggest_topics(query))
        return SearchResult(
            query=query, hits=hits, suggestions=suggestions, partial=partial and bool(hits)
        )

    def suggest_topics(self, query: str, limit: int = SUGGESTION_LIMIT) -> list[Topic]:
        """Topics close to what was asked (by spelling), topped up with the best-stocked ones."""
        words = {w for t in self.topics() for w in _folded(t.label).split()} - STOPWORDS
        close = {
            near for term in query_terms(query) for near in difflib.get_close_matches(term, words)
        }
        chosen = [t for t in self.topics() if close & set(_folded(t.label).split())]
        by_size = sorted(self.topics(), key=lambda t: -len(self._by_topic[t.id]))
        for topic in by_size:
            if topic not in chosen:
                chosen.append(topic)
        return chosen[:limit]
