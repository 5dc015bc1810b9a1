"""Where to turn for help: the server's own lines first, then its country's, then international.

A safety answer asks for the lines that fit its kind (a domestic-abuse line before a general
crisis line for fear of a partner), so the order of a country's lines follows the kinds asked
about, and every other line still follows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import Content
from bot.content.model import LINE_KINDS, Country, HelpLine, Resource
from bot.db import Storage
from bot.db.settings import get_settings

COUNTRY_CHOICES = 25


@dataclass(frozen=True)
class ResourceList:
    server_text: str | None
    country: Country | None
    lines: tuple[HelpLine, ...]
    """The country's lines, those that fit the asked kinds first."""
    international: tuple[HelpLine, ...]
    general: tuple[Resource, ...]
    notice: str


def line_order(content: Content, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """Line kinds in the order the safety kinds ask for them, then the rest."""
    order: dict[str, None] = {}
    for kind in kinds:
        found = content.safety.get(kind)
        for line_kind in found.lines if found else ():
            order.setdefault(line_kind, None)
    for line_kind in LINE_KINDS:
        order.setdefault(line_kind, None)
    return tuple(order)


def country_lines(
    content: Content, country: Country, kinds: tuple[str, ...]
) -> tuple[HelpLine, ...]:
    rank = {kind: index for index, kind in enumerate(line_order(content, kinds))}
    return tuple(sorted(country.lines, key=lambda line: rank.get(line.kind, len(rank))))


def find_country(content: Content, typed: str | None) -> Country | None:
    """A country by its code ("GB") or its name, as autocomplete sends or a member types."""
    if not typed:
        return None
    wanted = typed.strip().casefold()
    for country in content.resources.countries.values():
        if wanted in (country.code.casefold(), country.name.casefold()):
            return country
    return None


def country_choices(content: Content, typed: str) -> list[Country]:
    """Autocomplete: names starting with the text first, then containing it, then by code."""
    wanted = typed.strip().casefold()
    countries = sorted(content.resources.countries.values(), key=lambda c: c.name)
    starts = [c for c in countries if c.name.casefold().startswith(wanted)]
    contains = [c for c in countries if wanted in c.name.casefold() and c not in starts]
    by_code = [c for c in countries if c.code.casefold() == wanted and c not in starts + contains]
    return (by_code + starts + contains)[:COUNTRY_CHOICES]


async def resources_for(
    db: Storage,
    content: Content,
    guild_id: int | None,
    *,
    country: str | None = None,
    kinds: tuple[str, ...] = (),
) -> ResourceList:
    """`country` (a code) overrides the server's; `kinds` orders the lines for a safety note."""
    server_text = None
    code = country
    if guild_id is not None:
        settings = await get_settings(db, guild_id)
        server_text = settings.resources_text
        code = code or settings.country
    found = content.resources.countries.get(code) if code else None
    return ResourceList(
        server_text=server_text or None,
        country=found,
        lines=country_lines(content, found, kinds) if found else (),
        international=content.resources.international,
        general=content.resources.items,
        notice=content.resources.notice,
    )
