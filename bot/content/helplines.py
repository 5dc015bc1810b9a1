"""Help lines by country: every line names where its number was checked, and when.

A number shown to someone in danger must be right, so a line without a source page or a
`last_checked` date is refused rather than shown.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.content.fields import FieldReader
from bot.content.model import LINE_KINDS, Country, HelpLine

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
INTERNATIONAL_KINDS = ("directory", "emergency")


def read_helplines(
    reader: FieldReader, data: dict[str, Any]
) -> tuple[dict[str, Country], tuple[HelpLine, ...]]:
    countries: dict[str, Country] = {}
    for path, table in reader.tables(data, "country"):
        code = reader.text(table, "code", path, max_len=2)
        if code and not COUNTRY_CODE.match(code):
            reader.problem(f"{path}.code", f"{code!r} must be an ISO 3166-1 alpha-2 code")
        lines = tuple(
            _line(reader, line, f"{path}.{line_path}", LINE_KINDS)
            for line_path, line in reader.tables(table, "line")
        )
        if not any(line.kind == "crisis" for line in lines):
            reader.problem(f"{path}.line", 'needs a crisis line (kind = "crisis")')
        country = Country(code=code, name=reader.text(table, "name", path, max_len=60), lines=lines)
        if code in countries:
            reader.problem(f"{path}.code", f"duplicate country {code!r}")
        elif code:
            countries[code] = country
    international = tuple(
        _line(reader, table, path, INTERNATIONAL_KINDS)
        for path, table in reader.tables(data, "international")
    )
    if not international:
        reader.problem("international", "at least one international line is required")
    return countries, international


def _line(
    reader: FieldReader, table: dict[str, Any], path: str, kinds: tuple[str, ...]
) -> HelpLine:
    kind = reader.text(table, "kind", path, max_len=20)
    if kind and kind not in kinds:
        reader.problem(f"{path}.kind", f"must be one of {', '.join(kinds)}, got {kind!r}")
    source = reader.text(table, "source", path, max_len=300)
    if source and not source.startswith(("https://", "http://")):
        reader.problem(f"{path}.source", "must be the web address of the page stating it")
    url = reader.text(table, "url", path, max_len=300, required=False) or None
    if url and not url.startswith(("https://", "http://")):
        reader.problem(f"{path}.url", "must start with https://")
    checked = table.get("last_checked")
    if not isinstance(checked, date):
        reader.problem(
            f"{path}.last_checked",
            "is required: the date the number was checked against its source (2026-12-01)",
        )
        checked = date.min
    return HelpLine(
        kind=kind,
        name=reader.text(table, "name", path, max_len=80),
        contact=reader.text(table, "contact", path, max_len=120),
        detail=reader.text(table, "detail", path, max_len=200),
        source=source,
        last_checked=checked,
        url=url,
        hours=reader.text(table, "hours", path, max_len=80, required=False) or None,
    )
