"""Content in other languages: files under `content/locales/<locale>/` beside the English ones.

A translated file repeats the English ids with only the words that are shown, so structure
(topics, thresholds, safety kinds, numbers to dial, sources) has one home, the English file, and
cannot drift between languages. A text a translation lacks stays in English: a member then reads
the English words, never an empty field, and `check-content` lists what each language lacks.
Excerpts are quotations and stay in their article's language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from bot.content.fields import ContentProblem, FieldReader
from bot.content.model import (
    Balance,
    Band,
    Content,
    ContentNote,
    Country,
    Dimension,
    Guide,
    HelpLine,
    Instrument,
    Item,
    Prompt,
    Resource,
    Resources,
    SafetyKind,
    Topic,
)

LOCALES_DIR = "locales"
T = TypeVar("T")


@dataclass
class Translation:
    """One language's content (English where it lacks a text) and what it lacks."""

    locale: str
    content: Content
    missing: list[str] = field(default_factory=list)


class _Reader:
    """Reads one locale's files, records problems, and notes every English text it keeps."""

    def __init__(self, root: Path, locale: str, problems: list[ContentProblem]) -> None:
        self.root = root / LOCALES_DIR / locale
        self.locale = locale
        self.problems = problems
        self.missing: list[str] = []

    def file(self, name: str) -> tuple[FieldReader, dict[str, Any]]:
        path = self.root / name
        reader = FieldReader(f"{LOCALES_DIR}/{self.locale}/{name}", self.problems)
        if not path.is_file():
            self.missing.append(f"{name} (whole file)")
            return reader, {}
        try:
            return reader, tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            reader.problem("(file)", f"cannot be read: {exc}")
            return reader, {}

    def by_id(
        self, reader: FieldReader, data: dict[str, Any], key: str, known: set[str]
    ) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for path, table in reader.tables(data, key):
            ident = table.get("id")
            if not isinstance(ident, str) or ident not in known:
                reader.problem(f"{path}.id", f"{ident!r} is not an id of the English content")
            elif ident in found:
                reader.problem(f"{path}.id", f"duplicate id {ident!r}")
            else:
                found[ident] = table
        return found

    def text(
        self,
        reader: FieldReader,
        table: dict[str, Any] | None,
        key: str,
        path: str,
        english: str,
        max_len: int,
    ) -> str:
        if table is None or key not in table:
            if english:
                self.missing.append(f"{reader.file.split('/', 2)[-1]}: {path}.{key}")
            return english
        value = reader.text(table, key, path, max_len=max_len, required=bool(english))
        return value or english


def _indexed(reader: FieldReader, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [table for _, table in reader.tables(data, key)]


def _at(tables: list[dict[str, Any]], index: int) -> dict[str, Any] | None:
    return tables[index] if index < len(tables) else None


def translate(root: Path, locale: str, base: Content) -> tuple[Translation, list[ContentProblem]]:
    problems: list[ContentProblem] = []
    r = _Reader(root, locale, problems)
    content = replace(
        base,
        topics=_topics(r, base.topics),
        notes=_notes(r, base.notes),
        safety=_safety(r, base.safety),
        prompts=_prompts(r, root, base.prompts),
        guides=_guides(r, root, base.guides),
        instruments=_instruments(r, root, base.instruments),
        resources=_resources(r, base.resources),
    )
    return Translation(locale, content, r.missing), problems


def shipped_locales(root: Path) -> list[str]:
    directory = root / LOCALES_DIR
    return sorted(p.name for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []


def _simple(
    r: _Reader,
    name: str,
    key: str,
    base: dict[str, T],
    build: Callable[[FieldReader, T, dict[str, Any] | None, str], T],
) -> dict[str, T]:
    reader, data = r.file(name)
    tables = r.by_id(reader, data, key, set(base))
    return {ident: build(reader, item, tables.get(ident), ident) for ident, item in base.items()}


def _topics(r: _Reader, base: dict[str, Topic]) -> dict[str, Topic]:
    return _simple(
        r,
        "topics.toml",
        "topic",
        base,
        lambda rd, t, tb, i: replace(t, label=r.text(rd, tb, "label", i, t.label, 80)),
    )


def _notes(r: _Reader, base: dict[str, ContentNote]) -> dict[str, ContentNote]:
    return _simple(
        r,
        "notes.toml",
        "note",
        base,
        lambda rd, n, tb, i: replace(n, label=r.text(rd, tb, "label", i, n.label, 60)),
    )


def _safety(r: _Reader, base: dict[str, SafetyKind]) -> dict[str, SafetyKind]:
    def build(rd: FieldReader, k: SafetyKind, tb: dict[str, Any] | None, i: str) -> SafetyKind:
        return replace(
            k,
            title=r.text(rd, tb, "title", i, k.title, 200),
            now=r.text(rd, tb, "now", i, k.now, 600),
            hope=r.text(rd, tb, "hope", i, k.hope, 600),
            told=r.text(rd, tb, "told", i, k.told, 600),
        )

    return _simple(r, "safety.toml", "kind", base, build)


def _per_file(
    r: _Reader,
    root: Path,
    folder: str,
    key: str,
    base: dict[str, T],
    build: Callable[[FieldReader, T, dict[str, Any] | None, str], T],
) -> dict[str, T]:
    """Translated files mirror the English file names; an id may sit in any of them."""
    tables: dict[str, tuple[FieldReader, dict[str, Any] | None]] = {}
    english_files = sorted((root / folder).glob("*.toml"))
    for path in english_files:
        reader, data = r.file(f"{folder}/{path.name}")
        for ident, table in r.by_id(reader, data, key, set(base)).items():
            tables[ident] = (reader, table)
    fallback = FieldReader(f"{LOCALES_DIR}/{r.locale}/{folder}", r.problems)
    out: dict[str, T] = {}
    for ident, item in base.items():
        found_reader, found_table = tables.get(ident, (fallback, None))
        out[ident] = build(found_reader, item, found_table, ident)
    return out


def _prompts(r: _Reader, root: Path, base: dict[str, Prompt]) -> dict[str, Prompt]:
    return _per_file(
        r,
        root,
        "prompts",
        "prompt",
        base,
        lambda rd, p, tb, i: replace(p, text=r.text(rd, tb, "text", i, p.text, 1500)),
    )


def _guides(r: _Reader, root: Path, base: dict[str, Guide]) -> dict[str, Guide]:
    def build(rd: FieldReader, g: Guide, tb: dict[str, Any] | None, i: str) -> Guide:
        questions = g.questions
        if tb is not None and "questions" in tb:
            given = rd.text_list(tb, "questions", i, max_len=300, min_items=len(g.questions))
            if len(given) == len(g.questions):
                questions = given
            else:
                rd.problem(
                    f"{i}.questions", f"must have {len(g.questions)} questions, as in English"
                )
        elif tb is None or "questions" not in tb:
            r.missing.append(f"discussions: {i}.questions")
        return replace(g, title=r.text(rd, tb, "title", i, g.title, 200), questions=questions)

    return _per_file(r, root, "discussions", "guide", base, build)


def _instruments(r: _Reader, root: Path, base: dict[str, Instrument]) -> dict[str, Instrument]:
    by_id: dict[str, tuple[FieldReader, dict[str, Any]]] = {}
    for path in sorted((root / "selfchecks").glob("*.toml")):
        reader, data = r.file(f"selfchecks/{path.name}")
        if data:
            by_id[str(data.get("id"))] = (reader, data)
    out: dict[str, Instrument] = {}
    for ident, instrument in base.items():
        reader, data = by_id.get(ident, (FieldReader(f"selfchecks/{ident}", r.problems), {}))
        out[ident] = _instrument(r, reader, data, instrument)
    return out


def _instrument(r: _Reader, rd: FieldReader, data: dict[str, Any], ins: Instrument) -> Instrument:
    tb = data or None
    dims = _indexed(rd, data, "dimension")
    items = {str(t.get("id")): t for t in _indexed(rd, data, "item")}
    dimensions: list[Dimension] = []
    for index, dim in enumerate(ins.dimensions):
        dt = _at(dims, index)
        if dt is not None and dt.get("id") != dim.id:
            rd.problem(f"dimension[{index}].id", f"must be {dim.id!r}, in the English order")
            dt = None
        bands = _indexed(rd, dt or {}, "band")
        translated_bands: list[Band] = []
        for b_index, band in enumerate(dim.bands):
            bt = _at(bands, b_index)
            path = f"dimension[{index}].band[{b_index}]"
            translated_bands.append(
                replace(
                    band,
                    level=r.text(rd, bt, "level", path, band.level, 60),
                    feedback=r.text(rd, bt, "feedback", path, band.feedback, 700),
                    next_step=r.text(rd, bt, "next_step", path, band.next_step, 300),
                )
            )
        name = r.text(rd, dt, "name", f"dimension[{index}]", dim.name, 100)
        dimensions.append(replace(dim, name=name, bands=tuple(translated_bands)))
    translated_items: list[Item] = []
    for item in ins.items:
        translated_items.append(
            replace(item, text=r.text(rd, items.get(item.id), "text", item.id, item.text, 200))
        )
    balance: Balance | None = ins.balance
    if balance is not None:
        bt = data.get("balance") if isinstance(data.get("balance"), dict) else None
        balance = replace(
            balance,
            even=r.text(rd, bt, "even", "balance", balance.even, 700),
            first_higher=r.text(rd, bt, "first_higher", "balance", balance.first_higher, 700),
            second_higher=r.text(rd, bt, "second_higher", "balance", balance.second_higher, 700),
        )
    return replace(
        ins,
        title=r.text(rd, tb, "title", "", ins.title, 100),
        summary=r.text(rd, tb, "summary", "", ins.summary, 1000),
        learn_more=r.text(rd, tb, "learn_more", "", ins.learn_more, 1000),
        dimensions=tuple(dimensions),
        items=tuple(translated_items),
        balance=balance,
    )


def _resources(r: _Reader, base: Resources) -> Resources:
    rd, data = r.file("resources.toml")
    tb = data or None
    items = _indexed(rd, data, "resource")
    general = tuple(
        replace(
            res,
            name=r.text(rd, _at(items, i), "name", f"resource[{i}]", res.name, 100),
            detail=r.text(rd, _at(items, i), "detail", f"resource[{i}]", res.detail, 300),
        )
        for i, res in enumerate(base.items)
    )
    hd, lines_data = r.file("helplines.toml")
    countries = {str(t.get("code")): t for t in _indexed(hd, lines_data, "country")}
    translated: dict[str, Country] = {}
    for code, country in base.countries.items():
        ct = countries.get(code)
        lines = _indexed(hd, ct or {}, "line")
        translated[code] = replace(
            country,
            name=r.text(hd, ct, "name", code, country.name, 60),
            lines=tuple(
                _line(r, hd, _at(lines, i), f"{code}.line[{i}]", line)
                for i, line in enumerate(country.lines)
            ),
        )
    international = _indexed(hd, lines_data, "international")
    return Resources(
        notice=r.text(rd, tb, "notice", "", base.notice, 500),
        items=general,
        countries=translated,
        international=tuple(
            _line(r, hd, _at(international, i), f"international[{i}]", line)
            for i, line in enumerate(base.international)
        ),
    )


def _line(
    r: _Reader, rd: FieldReader, table: dict[str, Any] | None, path: str, line: HelpLine
) -> HelpLine:
    return replace(
        line,
        contact=r.text(rd, table, "contact", path, line.contact, 120),
        hours=r.text(rd, table, "hours", path, line.hours or "", 80) or None,
        detail=r.text(rd, table, "detail", path, line.detail, 200),
    )


__all__ = ["Resource", "Translation", "shipped_locales", "translate"]
