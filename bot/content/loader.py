"""Reads `content/` into a `Content` and reports every problem as `file: field: problem`.

The limits here are the places the text ends up in Discord (embed fields, descriptions, thread
names), so a text that passes cannot make the bot's messages fail at run time.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.content.fields import ContentProblem, FieldReader, read_notes, read_topic, read_topics
from bot.content.helplines import read_helplines
from bot.content.instruments import read_instrument
from bot.content.language import diagnostic_words
from bot.content.model import (
    Content,
    ContentNote,
    Country,
    Excerpt,
    Guide,
    HelpLine,
    Instrument,
    Prompt,
    Resource,
    Resources,
    SafetyKind,
    Source,
    Topic,
)
from bot.content.safety import read_safety_kinds
from bot.content.translations import shipped_locales, translate

EXCERPT_MAX_WORDS = 80
PROMPT_MAX_CHARS = 1500

__all__ = ["ContentError", "ContentProblem", "load_content", "normalise", "validate_content"]


class ContentError(Exception):
    """Content failed validation; `problems` lists each one."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        if len(problems) == 1:
            super().__init__(f"1 content problem: {problems[0]}")
            return
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} content problem(s):\n{shown}{more}")


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Whitespace folded and typographic quotes made plain, for verbatim comparisons."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _parse(path: Path, root: Path, problems: list[ContentProblem]) -> dict[str, Any] | None:
    name = str(path.relative_to(root))
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        problems.append(ContentProblem(name, "(file)", f"is not valid TOML: {exc}"))
    except UnicodeDecodeError:
        problems.append(
            ContentProblem(
                name, "(file)", "is not UTF-8 text: save it as UTF-8, or restore it from git"
            )
        )
    except OSError as exc:
        problems.append(ContentProblem(name, "(file)", f"cannot be read: {exc.strerror}"))
    return None


def _files(root: Path, folder: str) -> Iterable[Path]:
    directory = root / folder
    return sorted(directory.glob("*.toml")) if directory.is_dir() else []


class _Loader:
    def __init__(self, root: Path, seeds_dir: Path | None) -> None:
        self.root = root
        self.seeds_dir = seeds_dir
        self.problems: list[ContentProblem] = []
        self._seen: dict[tuple[str, str], str] = {}

    def reader(self, path: Path) -> tuple[FieldReader, dict[str, Any] | None]:
        data = _parse(path, self.root, self.problems)
        return FieldReader(str(path.relative_to(self.root)), self.problems), data

    def unique(self, reader: FieldReader, kind: str, ident: str, field: str) -> bool:
        if not ident:
            return False
        first = self._seen.get((kind, ident))
        if first is not None:
            reader.problem(field, f"duplicate {kind} id {ident!r} (first in {first})")
            return False
        self._seen[(kind, ident)] = reader.file
        return True

    def load(self) -> Content:
        topics = self.load_topics()
        sources = self.load_sources()
        notes = self.load_notes()
        safety = self.load_safety()
        content = Content(
            topics=topics,
            sources=sources,
            excerpts=self.load_excerpts(topics, sources, notes),
            prompts=self.load_prompts(topics, notes),
            guides=self.load_guides(topics, notes),
            instruments=self.load_instruments(topics, sources, safety),
            resources=self.load_resources(),
            notes=notes,
            safety=safety,
        )
        self.check_language()
        return self.with_translations(content)

    def with_translations(self, content: Content) -> Content:
        localised: dict[str, Content] = {}
        missing: dict[str, tuple[str, ...]] = {}
        for locale in shipped_locales(self.root):
            translation, problems = translate(self.root, locale, content)
            self.problems.extend(problems)
            localised[locale] = translation.content
            missing[locale] = tuple(translation.missing)
        return replace(content, localised=localised, missing_translations=missing)

    def check_language(self) -> None:
        """No diagnostic words in any file, outside a disclaimer."""
        for path in sorted(self.root.rglob("*.toml")):
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue  # reported when the file is parsed
            for number, line in enumerate(lines, start=1):
                if line.lstrip().startswith("#"):
                    continue
                for word in diagnostic_words(line):
                    self.problems.append(
                        ContentProblem(
                            str(path.relative_to(self.root)),
                            f"line {number}",
                            f"uses diagnostic language ({word!r}); describe patterns instead",
                        )
                    )

    def load_notes(self) -> dict[str, ContentNote]:
        path = self.root / "notes.toml"
        if not path.exists():
            self.problems.append(ContentProblem("notes.toml", "(file)", "is missing"))
            return {}
        reader, data = self.reader(path)
        notes: dict[str, ContentNote] = {}
        for table_path, table in reader.tables(data or {}, "note"):
            ident = reader.identifier(table, "id", table_path)
            label = reader.text(table, "label", table_path, max_len=60)
            if self.unique(reader, "content note", ident, f"{table_path}.id"):
                notes[ident] = ContentNote(ident, label)
        return notes

    def load_safety(self) -> dict[str, SafetyKind]:
        path = self.root / "safety.toml"
        if not path.exists():
            self.problems.append(ContentProblem("safety.toml", "(file)", "is missing"))
            return {}
        reader, data = self.reader(path)
        return read_safety_kinds(reader, data or {})

    def load_topics(self) -> dict[str, Topic]:
        path = self.root / "topics.toml"
        if not path.exists():
            self.problems.append(ContentProblem("topics.toml", "(file)", "is missing"))
            return {}
        reader, data = self.reader(path)
        topics: dict[str, Topic] = {}
        for table_path, table in reader.tables(data or {}, "topic"):
            ident = reader.identifier(table, "id", table_path)
            label = reader.text(table, "label", table_path, max_len=80)
            if self.unique(reader, "topic", ident, f"{table_path}.id"):
                topics[ident] = Topic(ident, label)
        return topics

    def load_sources(self) -> dict[str, Source]:
        path = self.root / "sources.toml"
        if not path.exists():
            return {}
        reader, data = self.reader(path)
        sources: dict[str, Source] = {}
        for table_path, table in reader.tables(data or {}, "source"):
            ident = reader.identifier(table, "id", table_path)
            source = Source(
                id=ident,
                title=reader.text(table, "title", table_path, max_len=200),
                site=reader.text(table, "site", table_path, max_len=100, required=False) or None,
                seed=reader.text(table, "seed", table_path, max_len=200),
                date=reader.text(table, "date", table_path, max_len=40, required=False) or None,
                url=reader.text(table, "url", table_path, max_len=500, required=False) or None,
            )
            if source.url and not source.url.startswith(("https://", "http://")):
                reader.problem(f"{table_path}.url", "must start with https://")
            if self.unique(reader, "source", ident, f"{table_path}.id"):
                sources[ident] = source
        return sources

    def _seed_text(self, seed: str, cache: dict[str, str | None]) -> str | None:
        if self.seeds_dir is None:
            return None
        if seed not in cache:
            path = self.seeds_dir / seed
            cache[seed] = normalise(path.read_text(encoding="utf-8")) if path.is_file() else None
        return cache[seed]

    def load_excerpts(
        self, topics: dict[str, Topic], sources: dict[str, Source], notes: dict[str, ContentNote]
    ) -> dict[str, Excerpt]:
        excerpts: dict[str, Excerpt] = {}
        seeds: dict[str, str | None] = {}
        for path in _files(self.root, "excerpts"):
            reader, data = self.reader(path)
            for table_path, table in reader.tables(data or {}, "excerpt"):
                ident = reader.identifier(table, "id", table_path)
                source_id = reader.text(table, "source", table_path, max_len=60)
                text = reader.text(table, "text", table_path, max_len=900)
                excerpt = Excerpt(
                    ident,
                    source_id,
                    read_topics(reader, table, table_path, topics),
                    text,
                    read_notes(reader, table, table_path, notes),
                )
                words = len(text.split())
                if words > EXCERPT_MAX_WORDS:
                    reader.problem(
                        f"{table_path}.text", f"has {words} words; the limit is {EXCERPT_MAX_WORDS}"
                    )
                source = sources.get(source_id)
                if source_id and source is None:
                    reader.problem(f"{table_path}.source", f"unknown source {source_id!r}")
                elif source is not None and text:
                    seed_text = self._seed_text(source.seed, seeds)
                    if seed_text is not None and normalise(text) not in seed_text:
                        reader.problem(
                            f"{table_path}.text",
                            f"is not a verbatim passage of {source.seed}",
                        )
                if self.unique(reader, "excerpt", ident, f"{table_path}.id"):
                    excerpts[ident] = excerpt
        return excerpts

    def load_prompts(
        self, topics: dict[str, Topic], notes: dict[str, ContentNote]
    ) -> dict[str, Prompt]:
        prompts: dict[str, Prompt] = {}
        for path in _files(self.root, "prompts"):
            reader, data = self.reader(path)
            for table_path, table in reader.tables(data or {}, "prompt"):
                ident = reader.identifier(table, "id", table_path)
                prompt = Prompt(
                    id=ident,
                    topic=read_topic(reader, table, table_path, topics),
                    text=reader.text(table, "text", table_path, max_len=PROMPT_MAX_CHARS),
                    content_notes=read_notes(reader, table, table_path, notes),
                )
                if self.unique(reader, "prompt", ident, f"{table_path}.id"):
                    prompts[ident] = prompt
        return prompts

    def load_guides(
        self, topics: dict[str, Topic], notes: dict[str, ContentNote]
    ) -> dict[str, Guide]:
        guides: dict[str, Guide] = {}
        for path in _files(self.root, "discussions"):
            reader, data = self.reader(path)
            for table_path, table in reader.tables(data or {}, "guide"):
                ident = reader.identifier(table, "id", table_path)
                guide = Guide(
                    id=ident,
                    topic=read_topic(reader, table, table_path, topics),
                    title=reader.text(table, "title", table_path, max_len=200),
                    questions=reader.text_list(
                        table, "questions", table_path, max_len=300, min_items=2, max_items=5
                    ),
                    content_notes=read_notes(reader, table, table_path, notes),
                )
                if self.unique(reader, "guide", ident, f"{table_path}.id"):
                    guides[ident] = guide
        return guides

    def load_instruments(
        self,
        topics: dict[str, Topic],
        sources: dict[str, Source],
        safety: dict[str, SafetyKind],
    ) -> dict[str, Instrument]:
        instruments: dict[str, Instrument] = {}
        for path in _files(self.root, "selfchecks"):
            reader, data = self.reader(path)
            if data is None:
                continue
            instrument = read_instrument(reader, data, topics, sources, safety)
            if self.unique(reader, "instrument", instrument.id, "id"):
                instruments[instrument.id] = instrument
        return instruments

    def load_resources(self) -> Resources:
        path = self.root / "resources.toml"
        if not path.exists():
            return Resources(notice="", items=())
        reader, data = self.reader(path)
        data = data or {}
        items = tuple(
            Resource(
                name=reader.text(table, "name", table_path, max_len=100),
                detail=reader.text(table, "detail", table_path, max_len=300),
                url=reader.text(table, "url", table_path, max_len=300, required=False) or None,
            )
            for table_path, table in reader.tables(data, "resource")
        )
        countries, international = self.load_helplines()
        return Resources(
            notice=reader.text(data, "notice", "", max_len=500),
            items=items,
            countries=countries,
            international=international,
        )

    def load_helplines(self) -> tuple[dict[str, Country], tuple[HelpLine, ...]]:
        path = self.root / "helplines.toml"
        if not path.exists():
            self.problems.append(ContentProblem("helplines.toml", "(file)", "is missing"))
            return {}, ()
        reader, data = self.reader(path)
        return read_helplines(reader, data or {})


def default_seeds_dir(content_dir: Path) -> Path | None:
    """The source articles sit beside the project in development; absent in production."""
    candidate = content_dir.resolve().parent.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


def validate_content(
    root: Path, *, seeds_dir: Path | None = None
) -> tuple[Content, list[ContentProblem]]:
    loader = _Loader(root, seeds_dir)
    content = loader.load()
    return content, loader.problems


def load_content(root: Path, *, seeds_dir: Path | None = None) -> Content:
    content, problems = validate_content(root, seeds_dir=seeds_dir)
    if problems:
        raise ContentError(problems)
    return content
