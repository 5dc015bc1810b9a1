"""Rendering shared by several features (not an extension: the name starts with `_`)."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands

from bot.content import Content
from bot.content.model import HelpLine, SafetyKind
from bot.i18n import _, shipped_locale
from bot.services.resources import ResourceList, country_choices
from bot.services.server_settings import Storage, get_settings

CARE_COLOUR = discord.Colour.from_rgb(88, 166, 160)
# Warm, not alarming: the note must stand out from the readings without feeling like a siren.
SAFETY_COLOUR = discord.Colour.from_rgb(226, 140, 74)


MAX_FIELDS = 25


def behind_spoiler(text: str, note: str | None) -> str:
    """Safe-messaging practice: text under a content note is shown only to those who choose it,
    line by line, since a spoiler does not run across a Markdown quote's line breaks."""
    if not note:
        return text
    return "\n".join(
        f"||{line.replace('||', '| |')}||" if line.strip() else line for line in text.split("\n")
    )


def line_field(line: HelpLine, where: str | None = None) -> tuple[str, str]:
    """One help line as an embed field: who, how to reach them first, then when and what."""
    name = f"{line.name} · {where}" if where else line.name
    head = f"**{line.contact}**" + (f" · {line.hours}" if line.hours else "")
    value = f"{head}\n{line.detail}" + (f"\n{line.url}" if line.url else "")
    return name[:256], value[:1024]


def _add_lines(embed: discord.Embed, resources: ResourceList) -> None:
    fields: list[tuple[str, str]] = []
    if resources.server_text:
        fields.append((_("From this server"), resources.server_text[:1024]))
    where = resources.country.name if resources.country else None
    fields += [line_field(line, where) for line in resources.lines]
    fields += [line_field(line) for line in resources.international]
    fields += [
        (r.name[:256], (r.detail if not r.url else f"{r.detail}\n{r.url}")[:1024])
        for r in resources.general
    ]
    for name, value in fields[:MAX_FIELDS]:
        embed.add_field(name=name, value=value, inline=False)


def resources_embed(resources: ResourceList, *, title: str | None = None) -> discord.Embed:
    """The server's own lines, then its country's, then international ones, then the rest."""
    description = resources.notice
    if resources.country is None:
        description += "\n\n" + _(
            "No country is set here, so these are international lines. "
            "`/resources country:` shows the lines of any country, privately."
        )
    title = title or _("Where to find support")
    embed = discord.Embed(title=title, colour=CARE_COLOUR, description=description[:4096])
    _add_lines(embed, resources)
    return embed


def safety_embed(kinds: Sequence[SafetyKind], resources: ResourceList) -> discord.Embed:
    """The note for a safety answer: what to do now, hope, that nobody was told, then the lines
    that fit. It opens every screen it appears on, so nothing above it can say otherwise."""
    first, *others = kinds
    parts = [first.now, first.hope]
    for kind in others:
        parts.append(f"**{kind.title}**\n{kind.now}\n{kind.hope}")
    parts.append(f"*{first.told}*")
    embed = discord.Embed(
        title=first.title[:256], colour=SAFETY_COLOUR, description="\n\n".join(parts)[:4096]
    )
    _add_lines(embed, resources)
    embed.set_footer(text=resources.notice[:2048])
    return embed


def country_options(content: Content, typed: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a country option: its name shown, its code sent."""
    return [app_commands.Choice(name=c.name, value=c.code) for c in country_choices(content, typed)]


async def server_language(client: discord.Client, db: Storage, guild_id: int | None) -> str:
    """The language of a server's public posts: `/config language`, else the server's preferred
    locale as Discord reports it, else English (a shipped locale code in every case)."""
    if guild_id is None:
        return shipped_locale(None)
    chosen = (await get_settings(db, guild_id)).language
    if chosen:
        return shipped_locale(chosen)
    guild = client.get_guild(guild_id)
    return shipped_locale(guild.preferred_locale.value if guild is not None else None)
