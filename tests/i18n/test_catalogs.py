"""The message catalogs: every message of the code in every shipped language, with the same
placeholders and Markdown, command names that Discord accepts, and a template that is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n.catalogs import LOCALES_DIR, SHIPPED_LOCALES
from bot.i18n.commands import NAME_CONTEXT, OPTION_CONTEXT

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = LOCALES_DIR / "mutual.pot"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TRANSLATED = [locale for locale in SHIPPED_LOCALES if locale != "en-US"]
NAME = re.compile(r"^[-_\w]{1,32}$")


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    keys = set()
    for message in catalog:
        if message.id:
            ident = message.id[0] if isinstance(message.id, tuple) else message.id
            keys.add((message.context, ident))
    return keys


def test_the_template_holds_every_message_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "extract_messages.py"), "--output", str(fresh)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    missing = _keys(_read(fresh)) - _keys(_read(TEMPLATE))
    assert not missing, f"run scripts/extract_messages.py: {sorted(missing)[:10]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(locale: str) -> None:
    template = _read(TEMPLATE)
    catalog = _read(LOCALES_DIR / f"{locale}.po")
    problems: list[str] = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        shown = message.id[0] if isinstance(message.id, tuple) else message.id
        if (
            found is None
            or not found.string
            or (isinstance(found.string, tuple) and not all(found.string))
        ):
            problems.append(f"missing: {shown!r}")
            continue
        if found.fuzzy:
            problems.append(f"fuzzy: {shown!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for form in forms:
            if not set(PLACEHOLDER.findall(form)) <= wanted:
                problems.append(f"placeholder not in the English: {shown!r} -> {form!r}")
        if len(ids) == 1 and set(PLACEHOLDER.findall(forms[0])) != wanted:
            problems.append(f"placeholders differ: {shown!r} -> {forms[0]!r}")
        if ids[0].count("`") != forms[0].count("`") or ids[0].count("**") != forms[0].count("**"):
            problems.append(f"Markdown differs: {shown!r} -> {forms[0]!r}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("locale", TRANSLATED)
def test_command_texts_follow_discords_rules(locale: str) -> None:
    catalog = _read(LOCALES_DIR / f"{locale}.po")
    problems: list[str] = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        text = message.string if isinstance(message.string, str) else message.string[0]
        if message.context in (NAME_CONTEXT, OPTION_CONTEXT):
            if not NAME.match(text) or text != text.lower():
                problems.append(f"name {message.id!r} -> {text!r}")
        elif any(location[0] == "commands" for location in message.locations) and len(text) > 100:
            problems.append(f"over 100 characters: {message.id!r}")
    assert not problems, "\n".join(problems)
