"""Ranked full-text search over the excerpts, with the matched words marked in bold.

Excerpts are static content, so the index is built once at start-up in its own in-memory SQLite
connection: it never touches the bot's database (no migration, nothing to keep in sync) and a query
over ~70 short texts takes microseconds, so it is safe to run on the event loop. SQLite builds
without FTS5 exist; there a small idf-weighted token match gives the same interface.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

BOLD = "**"
MAX_TERMS = 12
_WORD = re.compile(r"\w+")
# Words so common that matching on them alone would make every search "succeed".
STOPWORDS = frozenset(
    "a an and are as at be but by for from has have how i if in is it its me my of on or our so "
    "that the their them they this to was we what when where which who why with you your".split()
)


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    topics: str  # topic labels, so "abandonment" also finds excerpts tagged with that topic


@dataclass(frozen=True)
class Match:
    id: str
    highlighted: str


class SearchIndex(Protocol):
    def search(self, query: str, limit: int, *, every: bool = True) -> list[Match]:
        """Passages with every word and phrase of the query, or (`every=False`) with any."""
        ...


_PHRASE = re.compile(r'"([^"]*)"')


def query_parts(query: str) -> list[tuple[str, ...]]:
    """The query as parts to match: each quoted phrase whole ("people pleasing"), then each
    other word worth searching for (stopwords dropped unless nothing else is left)."""
    phrases = [tuple(w.lower() for w in _WORD.findall(found)) for found in _PHRASE.findall(query)]
    words = [word.lower() for word in _WORD.findall(_PHRASE.sub(" ", query))]
    meaningful = [word for word in words if word not in STOPWORDS] or words
    if phrases and meaningful is words:
        meaningful = [word for word in words if word not in STOPWORDS]
    parts = [p for p in phrases if p] + [(w,) for w in dict.fromkeys(meaningful)]
    return list(dict.fromkeys(parts))[:MAX_TERMS]


def loose_parts(parts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """For "any of the words": one- and two-letter words ("no", "ok") alone would match almost
    anything, so they count only inside a phrase or when nothing else was asked."""
    return [p for p in parts if len(p) > 1 or len(p[0]) > 2] or parts


def query_terms(query: str) -> list[str]:
    """Every word of the query's parts, once, for spelling suggestions and highlighting."""
    return list(dict.fromkeys(word for part in query_parts(query) for word in part))


class Fts5Index:
    """FTS5 with Porter stemming, bm25 ranking (text weighs twice the topic labels) and highlight()."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE excerpt USING fts5("
            "id UNINDEXED, text, topics, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        with self._db:
            self._db.executemany(
                "INSERT INTO excerpt (id, text, topics) VALUES (?, ?, ?)",
                [(doc.id, doc.text, doc.topics) for doc in documents],
            )

    def search(self, query: str, limit: int, *, every: bool = True) -> list[Match]:
        parts = query_parts(query) if every else loose_parts(query_parts(query))
        if not parts:
            return []
        # Each word is \w+ only, so quoting a part makes any input a valid FTS5 expression;
        # a quoted run of words is an FTS5 phrase.
        joiner = " AND " if every else " OR "
        expression = joiner.join('"' + " ".join(part) + '"' for part in parts)
        rows = self._db.execute(
            f"SELECT id, highlight(excerpt, 1, '{BOLD}', '{BOLD}') FROM excerpt "
            "WHERE excerpt MATCH ? ORDER BY bm25(excerpt, 0.0, 2.0, 1.0), id LIMIT ?",
            (expression, limit),
        ).fetchall()
        return [Match(id=row[0], highlighted=row[1]) for row in rows]


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _same_word(doc_stem: str, term_stem: str) -> bool:
    shorter = min(len(doc_stem), len(term_stem))
    return doc_stem == term_stem or (
        shorter >= 4 and (doc_stem.startswith(term_stem) or term_stem.startswith(doc_stem))
    )


class TokenIndex:
    """Fallback ranking: idf-weighted, saturated term counts over crudely stemmed words."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._docs = [
            (
                doc,
                Counter(_stem(w.lower()) for w in _WORD.findall(doc.text)),
                Counter(_stem(w.lower()) for w in _WORD.findall(doc.topics)),
            )
            for doc in documents
        ]

    def _frequency(self, counts: Counter[str], term: str) -> int:
        return sum(n for stem, n in counts.items() if _same_word(stem, term))

    def search(self, query: str, limit: int, *, every: bool = True) -> list[Match]:
        asked = query_parts(query) if every else loose_parts(query_parts(query))
        parts = [tuple(_stem(word) for word in part) for part in asked]
        terms = list(dict.fromkeys(word for part in parts for word in part))
        if not terms or not self._docs:
            return []
        frequencies = [
            (doc, [self._frequency(text, t) + 0.5 * self._frequency(topics, t) for t in terms])
            for doc, text, topics in self._docs
        ]
        total = len(frequencies)
        found_in = [sum(1 for _, tfs in frequencies if tfs[i]) for i in range(len(terms))]
        idf = [math.log(1 + (total - n + 0.5) / (n + 0.5)) for n in found_in]
        scored: list[tuple[float, str, Document]] = []
        for doc, tfs in frequencies:
            present = {term for term, tf in zip(terms, tfs, strict=True) if tf}
            if every and not all(set(part) <= present for part in parts):
                continue  # word order inside a phrase is not checked here, only presence
            score = sum(weight * tf / (tf + 1.2) for weight, tf in zip(idf, tfs, strict=True))
            if score:
                scored.append((-score, doc.id, doc))
        scored.sort(key=lambda entry: (entry[0], entry[1]))

        def bold(found: re.Match[str]) -> str:
            word = found.group(0)
            if any(_same_word(_stem(word.lower()), term) for term in terms):
                return f"{BOLD}{word}{BOLD}"
            return word

        return [Match(doc.id, _WORD.sub(bold, doc.text)) for _, _, doc in scored[:limit]]


def build_index(documents: Iterable[Document]) -> SearchIndex:
    docs = list(documents)
    try:
        return Fts5Index(docs)
    except sqlite3.OperationalError:
        log.info("SQLite has no FTS5 here; excerpt search uses a simple ranked token match")
        return TokenIndex(docs)
