"""IANA timezones as people type them: case-insensitive names, city matches, abbreviations,
suggestions.

Shared by every feature that asks for a timezone, so "berlin" and "Europe/berlin" work the same
everywhere and a typo always gets the same helpful suggestions. Suggestions offer only the
canonical zones of the tz database's zone table ("Australia/Perth", never the old alias
"Australia/West"), though any valid name typed in full is accepted. Abbreviations ("EST",
"CET") mean the zone people mean by them, with its summer time; where one abbreviation is used
in places with different rules ("IST", "CST"), the answer asks which.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.i18n import _


class UnknownTimezone(ValueError):
    """The name is no IANA timezone; the message offers close names."""


class AmbiguousTimezone(UnknownTimezone):
    """An abbreviation used in places with different rules; the message names them."""


# What people mean by each common abbreviation, first the most likely. One entry: resolved.
# Several: the places differ in their rules (or summer time), so the member is asked.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "UTC": ("UTC",),
    "Z": ("UTC",),
    "GMT": ("Europe/London", "UTC"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "WET": ("Europe/Lisbon",),
    "WEST": ("Europe/Lisbon",),
    "CET": ("Europe/Berlin",),
    "CEST": ("Europe/Berlin",),
    "EET": ("Europe/Athens",),
    "EEST": ("Europe/Athens",),
    "MSK": ("Europe/Moscow",),
    "EST": ("America/New_York",),
    "EDT": ("America/New_York",),
    "ET": ("America/New_York",),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "CDT": ("America/Chicago",),
    "CT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "MT": ("America/Denver",),
    "PST": ("America/Los_Angeles", "Asia/Manila"),
    "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",),
    "AKDT": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    "ADT": ("America/Halifax",),
    "NST": ("America/St_Johns",),
    "NDT": ("America/St_Johns",),
    "BRT": ("America/Sao_Paulo",),
    "ART": ("America/Argentina/Buenos_Aires",),
    "SAST": ("Africa/Johannesburg",),
    "WAT": ("Africa/Lagos",),
    "EAT": ("Africa/Nairobi",),
    "PKT": ("Asia/Karachi",),
    "WIB": ("Asia/Jakarta",),
    "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",),
    "PHT": ("Asia/Manila",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "AWST": ("Australia/Perth",),
    "ACST": ("Australia/Adelaide", "Australia/Darwin"),
    "ACDT": ("Australia/Adelaide",),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney",),
    "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",),
}


@lru_cache(maxsize=1)
def _canonical_names() -> tuple[str, ...]:
    """The zone table's zones: one per country region, named after a city ("Europe/Oslo")."""
    try:
        table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError, OSError):  # pragma: no cover
        return tuple(sorted(n for n in available_timezones() if "/" in n))
    names = {
        line.split("\t")[2]
        for line in table.splitlines()
        if line and not line.startswith("#") and len(line.split("\t")) > 2
    }
    return tuple(sorted(names | {"UTC"}))


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    """Every valid name typed in full, the old aliases too."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


@lru_cache(maxsize=1)
def _zone_lookup() -> dict[str, str]:
    return {name.lower(): name for name in _zone_names()}


@lru_cache(maxsize=1024)
def cached_zone(name: str) -> ZoneInfo:
    """Zoneinfo keeps only a few zones strongly cached; thousands of servers use hundreds."""
    return ZoneInfo(name)


def _key(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def resolve_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name, city or abbreviation, case-insensitively; otherwise an error that
    offers close names (or, for an abbreviation used in several places, asks which)."""
    meant = ABBREVIATIONS.get(name.strip().upper())
    if meant is not None:
        if len(meant) > 1:
            raise AmbiguousTimezone(
                _(
                    "“{typed}” is used in more than one place: {zones}. Please pick the one you mean."
                ).format(typed=name.strip(), zones=", ".join(meant))
            )
        return cached_zone(meant[0])
    canonical = _zone_lookup().get(_key(name)) or _city_lookup().get(_key(name))
    if canonical is not None:
        try:
            return cached_zone(canonical)
        except ZoneInfoNotFoundError:  # pragma: no cover - listed zones always load
            pass
    close = timezone_suggestions(name, 3)
    if close:
        said = _(
            "I don't know the timezone “{typed}”. Did you mean {zones}? Pick one from the list "
            "as you type, for example Europe/Berlin or America/New_York."
        )
    else:
        said = _(
            "I don't know the timezone “{typed}”. Pick one from the list as you type, for "
            "example Europe/Berlin or America/New_York."
        )
    raise UnknownTimezone(said.format(typed=name.strip()[:40], zones=", ".join(close)))


@lru_cache(maxsize=1)
def _city_lookup() -> dict[str, str]:
    """'new_york' -> America/New_York, for the canonical zones."""
    return {name.rsplit("/", 1)[-1].lower(): name for name in _canonical_names()}


def timezone_suggestions(typed: str, limit: int) -> list[str]:
    """Close matches on the whole name and on the city part ('berlin', 'new york')."""
    key = _key(typed)
    if not key:
        return []
    meant = ABBREVIATIONS.get(typed.strip().upper())
    if meant is not None:
        return list(meant)[:limit]
    cities = _city_lookup()
    canonical = {name.lower(): name for name in _canonical_names()}
    found = [cities[c] for c in difflib.get_close_matches(key, list(cities), n=limit, cutoff=0.6)]
    found += [
        canonical[n] for n in difflib.get_close_matches(key, list(canonical), n=limit, cutoff=0.6)
    ]
    return list(dict.fromkeys(found))[:limit]


def autocomplete_timezones(typed: str, limit: int = 25) -> list[str]:
    """Abbreviations first, then prefix matches (on the name or its city), then substring
    matches, among the canonical zones only."""
    key = _key(typed)
    names = _canonical_names()
    if not key:
        common = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
        return list(common)[:limit]
    meant = list(ABBREVIATIONS.get(typed.strip().upper(), ()))
    prefix = [
        n
        for n in names
        if n not in meant
        and (n.lower().startswith(key) or n.lower().split("/")[-1].startswith(key))
    ]
    inside = [n for n in names if key in n.lower() and n not in prefix and n not in meant]
    result = (meant + prefix + inside)[:limit]
    return result or timezone_suggestions(typed, limit)
