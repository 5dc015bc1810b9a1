"""IANA timezones as people type them: case-insensitive names, city matches, suggestions.

Shared by every feature that asks for a timezone, so "berlin" and "Europe/berlin" work the same
everywhere and a typo always gets the same helpful suggestions.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class UnknownTimezone(ValueError):
    """The name is no IANA timezone; the message offers close names."""


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


@lru_cache(maxsize=1)
def _zone_lookup() -> dict[str, str]:
    return {name.lower(): name for name in _zone_names()}


@lru_cache(maxsize=1024)
def cached_zone(name: str) -> ZoneInfo:
    """zoneinfo keeps only a few zones strongly cached; thousands of servers use hundreds."""
    return ZoneInfo(name)


def _key(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def resolve_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name, case-insensitively; otherwise an error that offers close names."""
    canonical = _zone_lookup().get(_key(name))
    if canonical is not None:
        try:
            return cached_zone(canonical)
        except ZoneInfoNotFoundError:  # pragma: no cover - listed zones always load
            pass
    close = timezone_suggestions(name, 3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownTimezone(
        f"I don't know the timezone “{name.strip()[:40]}”.{hint} Pick one from the list as you "
        "type, for example Europe/Berlin or America/New_York."
    )


def timezone_suggestions(typed: str, limit: int) -> list[str]:
    """Close matches on the whole name and on the city part ('berlin', 'new york')."""
    key = _key(typed)
    if not key:
        return []
    cities: dict[str, str] = {}
    for name in _zone_names():
        cities.setdefault(name.rsplit("/", 1)[-1].lower(), name)
    found = [cities[c] for c in difflib.get_close_matches(key, list(cities), n=limit, cutoff=0.6)]
    found += [
        _zone_lookup()[n]
        for n in difflib.get_close_matches(key, list(_zone_lookup()), n=limit, cutoff=0.6)
    ]
    return list(dict.fromkeys(found))[:limit]


def autocomplete_timezones(typed: str, limit: int = 25) -> list[str]:
    """Prefix matches first (on the name or its city), then substring matches."""
    key = _key(typed)
    names = _zone_names()
    if not key:
        common = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
        return list(common)[:limit]
    prefix = [
        n for n in names if n.lower().startswith(key) or n.lower().split("/")[-1].startswith(key)
    ]
    inside = [n for n in names if key in n.lower() and n not in prefix]
    result = (prefix + inside)[:limit]
    return result or timezone_suggestions(typed, limit)
