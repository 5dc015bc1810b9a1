"""Embeds for excerpts. The shared form names the article, never the member unless they chose to."""

from __future__ import annotations

import discord

from bot.content import Excerpt
from bot.i18n import _, ngettext
from bot.services.excerpts import (
    ExcerptLibrary,
    Page,
    SearchResult,
    SourceCount,
    quoted_in_another_language,
)
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
        warning = _("**Content note:** {note}. The text is hidden until you tap it.").format(
            note=note
        )
        text = f"{warning}\n\n{text}"
    embed = discord.Embed(title=title, description=text[:4096], colour=EXCERPT_COLOUR)
    # The passage stays word for word in its article's language; a reader in another language
    # is told so where the source is named.
    source = _("Quoted in English from") if quoted_in_another_language() else _("From")
    embed.add_field(name=source, value=_from_line(library, excerpt)[:1024], inline=False)
    embed.add_field(name=_("Topics"), value=", ".join(library.topic_labels(excerpt))[:1024])
    return embed


def page_embed(library: ExcerptLibrary, page: Page) -> discord.Embed:
    embed = excerpt_embed(library, page.excerpt, title=page.topic.label)
    embed.set_footer(
        text=_("{number} of {total} · Share here posts it without your name").format(
            number=page.index + 1, total=page.total
        )
    )
    return embed


def random_embed(library: ExcerptLibrary, excerpt: Excerpt) -> discord.Embed:
    embed = excerpt_embed(library, excerpt, title=_("A passage to sit with"))
    embed.set_footer(text=_("Share here posts it without your name"))
    return embed


def shared_embed(
    library: ExcerptLibrary, excerpt: Excerpt, *, shared_by: str | None
) -> discord.Embed:
    embed = excerpt_embed(library, excerpt)
    if shared_by:
        embed.set_footer(text=_("Shared by {name}").format(name=shared_by)[:2048])
    return embed


def search_embed(library: ExcerptLibrary, result: SearchResult) -> discord.Embed:
    asked = discord.utils.escape_markdown(result.query.strip())[:100]
    if not result.hits:
        topics = ", ".join(f"**{topic.label}**" for topic in result.suggestions)
        return discord.Embed(
            title=_("Nothing matched yet"),
            description=_(
                "I found no passage for “{query}”. Other words may find one, or you could "
                "browse a topic with `/learn topic`: {topics}."
            ).format(query=asked, topics=topics),
            colour=EXCERPT_COLOUR,
        )
    embed = discord.Embed(
        title=_("Passages about “{query}”").format(query=asked), colour=EXCERPT_COLOUR
    )
    if result.partial:
        embed.description = _(
            "No passage has all of those words, so here are passages with some of them."
        )
    for number, hit in enumerate(result.hits, start=1):
        name = f"{number}. {library.attribution(hit.excerpt)}"[:256]
        value = hit.highlighted if len(hit.highlighted) <= 1024 else hit.excerpt.text[:1024]
        note = library.note(hit.excerpt)
        if note:
            warning = _("*Content note: {note}*").format(note=note)
            value = f"{warning}\n{behind_spoiler(value, note)}"[:1024]
        if len(embed) + len(name) + len(value) > EMBED_BUDGET:
            break
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=_("Browse any of their topics with /learn topic"))
    return embed


def sources_embed(counts: list[SourceCount]) -> discord.Embed:
    embed = discord.Embed(
        title=_("Where the passages come from"),
        description=_("Short passages, quoted word for word from these articles."),
        colour=EXCERPT_COLOUR,
    )
    for entry in counts[:25]:
        source = entry.source
        details = [part for part in (source.site, source.date) if part]
        lines = [" · ".join(details)] if details else []
        lines.append(
            ngettext("{count} passage", "{count} passages", entry.count).format(count=entry.count)
        )
        if source.url:
            lines.append(source.url)
        embed.add_field(name=f"“{source.title}”"[:256], value="\n".join(lines), inline=False)
    return embed
