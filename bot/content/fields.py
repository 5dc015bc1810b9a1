"""Typed field access that records problems instead of raising, so one run reports them all."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.content.model import ContentNote, Topic

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class ContentProblem:
    file: str
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.problem}"


class FieldReader:
    """Reads fields of one file; every problem names the file and the dotted field path."""

    def __init__(self, file: str, problems: list[ContentProblem]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, field: str, message: str) -> None:
        self.problems.append(ContentProblem(self.file, field, message))

    def tables(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(key, "must be an array of tables ([[" + key + "]])")
            return []
        found: list[tuple[str, dict[str, Any]]] = []
        for index, entry in enumerate(value):
            path = f"{key}[{index}]"
            if isinstance(entry, dict):
                found.append((path, entry))
            else:
                self.problem(path, "must be a table")
        return found

    def text(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        max_len: int,
        required: bool = True,
    ) -> str:
        field = f"{path}.{key}" if path else key
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(field, "is required")
            return ""
        if not isinstance(value, str):
            self.problem(field, f"must be text, got {type(value).__name__}")
            return ""
        value = value.strip()
        if len(value) > max_len:
            self.problem(field, f"is {len(value)} characters; the limit is {max_len}")
        return value

    def identifier(self, data: dict[str, Any], key: str, path: str) -> str:
        value = self.text(data, key, path, max_len=60)
        if value and not ID_PATTERN.match(value):
            self.problem(f"{path}.{key}", f"{value!r} must be lowercase letters, digits and dashes")
        return value

    def integer(
        self, data: dict[str, Any], key: str, path: str, *, low: int, high: int, default: int | None
    ) -> int:
        field = f"{path}.{key}" if path else key
        value = data.get(key, default)
        if value is None:
            self.problem(field, "is required")
            return low
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(field, f"must be a whole number, got {value!r}")
            return low
        if not low <= value <= high:
            self.problem(field, f"must be between {low} and {high}, got {value}")
        return value

    def flag(self, data: dict[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"must be true or false, got {value!r}")
            return False
        return value

    def text_list(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        max_len: int,
        min_items: int = 1,
        max_items: int = 25,
    ) -> tuple[str, ...]:
        field = f"{path}.{key}"
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(field, "must be a list of text")
            return ()
        if not min_items <= len(value) <= max_items:
            self.problem(field, f"must have {min_items} to {max_items} entries, has {len(value)}")
        for index, entry in enumerate(value):
            if not entry.strip():
                self.problem(f"{field}[{index}]", "is empty")
            elif len(entry) > max_len:
                self.problem(
                    f"{field}[{index}]", f"is {len(entry)} characters; the limit is {max_len}"
                )
        return tuple(v.strip() for v in value)


def read_topics(
    reader: FieldReader, data: dict[str, Any], path: str, topics: dict[str, Topic]
) -> tuple[str, ...]:
    values = reader.text_list(data, "topics", path, max_len=60, max_items=5)
    for value in values:
        if value not in topics:
            reader.problem(f"{path}.topics", f"unknown topic {value!r} (see topics.toml)")
    return values


def read_topic(
    reader: FieldReader, data: dict[str, Any], path: str, topics: dict[str, Topic]
) -> str:
    value = reader.text(data, "topic", path, max_len=60)
    if value and value not in topics:
        reader.problem(f"{path}.topic", f"unknown topic {value!r} (see topics.toml)")
    return value


def read_notes(
    reader: FieldReader, data: dict[str, Any], path: str, notes: dict[str, ContentNote]
) -> tuple[str, ...]:
    """Optional `content_notes = ["abuse", ...]`, each from the vocabulary in notes.toml."""
    if "content_notes" not in data:
        return ()
    values = reader.text_list(data, "content_notes", path, max_len=60, min_items=0, max_items=5)
    for value in values:
        if value not in notes:
            reader.problem(
                f"{path}.content_notes", f"unknown content note {value!r} (see notes.toml)"
            )
    return values
