"""A pseudo-locale that shows which texts did not pass through the catalogs or the content.

Every message of the catalog template becomes ⟪message⟫ and every translatable content text
becomes ⟪text⟫, under the Discord locale "da" (which Mutual does not ship). A screen rendered
for a member with that locale must then consist of ⟪…⟫ segments, the member's own words, verbatim
excerpts, and things that are no words at all (numbers, mentions, links, bars, punctuation).
"""

from __future__ import annotations

import gettext
import io
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.config import DEFAULT_CONTENT_DIR
from bot.i18n.catalogs import LOCALES_DIR

PSEUDO = "da"
OPEN, CLOSE = "⟪", "⟫"


def wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def pseudo_catalog() -> gettext.NullTranslations:
    with (LOCALES_DIR / "mutual.pot").open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale="da")
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string: Any = tuple(wrap(i) for i in message.id)
        else:
            string = wrap(message.id)
        if message.context is not None:  # command names keep Discord's rules: not wrapped
            string = message.id
        catalog.add(message.id, string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# The words of each content file that a translation carries (bot/content/translations.py).
FIELDS: dict[str, tuple[str, ...]] = {
    "prompt": ("text",),
    "guide": ("title", "questions"),
    "topic": ("label",),
    "note": ("label",),
    "kind": ("title", "now", "hope", "told"),
    "resource": ("name", "detail"),
    "line": ("contact", "hours", "detail"),
    "international": ("contact", "detail"),
    "country": ("name",),
    "dimension": ("name",),
    "band": ("level", "feedback", "next_step"),
    "item": ("text",),
    "balance": ("even", "first_higher", "second_higher"),
    "": ("title", "summary", "learn_more", "notice"),
}


def _pseudo(table: Any, kind: str) -> Any:
    if isinstance(table, list):
        return [_pseudo(entry, kind) for entry in table]
    if not isinstance(table, dict):
        return table
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, list | dict) and key in FIELDS:
            out[key] = _pseudo(value, key)
        elif key in FIELDS.get(kind, ()) and isinstance(value, str):
            out[key] = wrap(value)
        elif key in FIELDS.get(kind, ()) and isinstance(value, list):
            out[key] = [wrap(v) for v in value]
        elif key in ("id", "code", "upto"):
            out[key] = value
    return out


def _toml(data: dict[str, Any], prefix: str = "") -> str:
    lines: list[str] = []
    tables: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and value and isinstance(value[0], dict)
        ):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    for key, value in tables:
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            lines += ["", f"[{name}]", _toml(value, f"{name}.")]
        else:
            for entry in value:
                lines += ["", f"[[{name}]]", _toml(entry, f"{name}.")]
    return "\n".join(lines)


def pseudo_content_dir(tmp_path: Path) -> Path:
    """A copy of content/ with a "da" translation of every text, each wrapped in ⟪…⟫."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root, ignore=shutil.ignore_patterns("locales"))
    target = root / "locales" / PSEUDO
    for path in sorted(DEFAULT_CONTENT_DIR.rglob("*.toml")):
        relative = path.relative_to(DEFAULT_CONTENT_DIR)
        if relative.parts[0] in ("locales", "excerpts") or relative.name == "sources.toml":
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_toml(_pseudo(data, "")) + "\n", encoding="utf-8")
    return root


_MARKUP = re.compile(r"<(?:#|@|@&|t:)[^>]*>|https?://\S+|`/[^`]*`|/[a-z-]+")
_NOT_WORDS = re.compile(r"[\W\d_▰▱▁▂▃▄▅▆▇█·•…]+")


def leftover(text: str, allowed: list[str]) -> str:
    """What remains of `text` once wrapped segments, allowed texts and non-words are removed."""
    for known in sorted(allowed, key=len, reverse=True):
        if known:
            text = text.replace(known, " ")
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:
        reduced = inner.sub(" ", text)
        if reduced == text:
            break
        text = reduced
    return _NOT_WORDS.sub(" ", _MARKUP.sub(" ", text)).strip()
