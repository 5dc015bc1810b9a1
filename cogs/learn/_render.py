"""Embeds for excerpts. The shared form names the article, never the member unless they chose to."""

from __future__ import annotations

import discord

from bot.content import Excerpt
from bot.services.excerpts import ExcerptLibrary, Page, SearchResult, SourceCount
from cogs._common import behind_spoiler

EXCERPT_COLOUR = discord.Colour.from_rgb(120, 144, 196)
EMBED_BUDGET = 6000


def _from_line(library: ExcerptLibrary, excerpt: Excerpt) -> str:
    source = library.source_of(excerpt)
    line = library.attribution(excerpt)
    return f"{line}\n{source.url}" if source.url else line


def excerpt_embed(
    library: ExcerptLibrary, excerpt: Excerpt, *, title: str | None = None
) -> discord.Embed:
    """The excerpt, where it comes from and its topics: the same in private and in public. A
    noted excerpt names its note first and waits behind a spoiler until the reader chooses."""
    note = library.note(excerpt)
    text = behind_spoiler(excerpt.text, note)
    if note:
        text = f"**Content note:** {note}. The text is hidden until you tap it.\n\n{text}"
    embed = discord.Embed(title=title, description=text[:4096], colour=EXCERPT_COLOUR)
    embed.add_field(name="From", value=_from_line(library, excerpt)[:1024], inline=False)
    embed.add_field(name="Topics", value=", ".join(library.topic_labels(excerpt))[:1024])
    return embed


def page_embed(library: ExcerptLibrary, page: Page) -> discord.Embed:
    embed = excerpt_embed(library, page.excerpt, title=page.topic.label)
    embed.set_footer(
        text=f"{page.index + 1} of {page.total} · Share here posts it without your name"
    )
    return embed


def random_embed(library: ExcerptLibrary, excerpt: Excerpt) -> discord.Embed:
    embed = excerpt_embed(library, excerpt, title="A passage to sit with")
    embed.set_footer(text="Share here posts it without your name")
    return embed


def shared_embed(
    library: ExcerptLibrary, excerpt: Excerpt, *, shared_by: str | None
) -> discord.Embed:
    embed = excerpt_embed(library, excerpt)
    if shared_by:
        embed.set_footer(text=f"Shared by {shared_by}"[:2048])
    return embed


def search_embed(library: ExcerptLibrary, result: SearchResult) -> discord.Embed:
    asked = discord.utils.escape_markdown(result.query.strip())[:100]
    if not result.hits:
        topics = ", ".join(f"**{topic.label}**" for topic in result.suggestions)
        return discord.Embed(
            title="Nothing matched yet",
            description=(
                f"I found no passage for “{asked}”. Other words may find one, or you could "
                f"browse a topic with `/learn topic`: {topics}."
            ),
            colour=EXCERPT_COLOUR,
        )
    embed = discord.Embed(title=f"Passages about “{asked}”", colour=EXCERPT_COLOUR)
    if result.partial:
        embed.description = (
            "No passage has all of those words, so here are passages with some of them."
        )
    for number, hit in enumerate(result.hits, start=1):
        name = f"{number}. {library.attribution(hit.excerpt)}"[:256]
        value = hit.highlighted if len(hit.highlighted) <= 1024 else hit.excerpt.text[:1024]
        note = library.note(hit.excerpt)
        if note:
            value = f"*Content note: {note}*\n{behind_spoiler(value, note)}"[:1024]
        if len(embed) + len(name) + len(value) > EMBED_BUDGET:
            break
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text="Browse any of their topics with /learn topic")
    return embed


def sources_embed(counts: list[SourceCount]) -> discord.Embed:
    embed = discord.Embed(
        title="Where the passages come from",
        description="Short passages, quoted word for word from these articles.",
        colour=EXCERPT_COLOUR,
    )
    for entry in counts[:25]:
        source = entry.source
        details = [part for part in (source.site, source.date) if part]
        lines = [" · ".join(details)] if details else []
        lines.append(f"{entry.count} passage{'' if entry.count == 1 else 's'}")
        if source.url:
            lines.append(source.url)
        embed.add_field(name=f"“{source.title}”"[:256], value="\n".join(lines), inline=False)
    return embed
