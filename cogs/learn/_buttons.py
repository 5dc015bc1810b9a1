"""Buttons that keep working after a restart: their custom ids carry everything they need.

Paging ids carry the topic and the current index; sharing ids carry the excerpt id and whether
the member chose to be named. Topic order comes from the content alone, so an index still means
the same excerpt after the bot restarts.
"""

from __future__ import annotations

import re
from typing import Any, cast

import discord

from bot.app import MutualBot
from bot.content import Excerpt
from bot.errors import UserFacingError, report_error
from bot.services.excerpts import ExcerptLibrary, Page
from cogs.learn._render import page_embed, shared_embed

GONE = "That passage is no longer in the library. `/learn topic` shows what there is now."


def library_of(interaction: discord.Interaction[Any]) -> ExcerptLibrary:
    library = cast(MutualBot, interaction.client).service(ExcerptLibrary)
    if library is None:
        raise RuntimeError("the learn feature is not loaded")
    return library


class _Answering:
    """Errors in dynamic items are only logged by discord.py; these answer the member instead."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.run(interaction)
        except Exception as error:
            await report_error(interaction, error)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


class PageButton(
    _Answering,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"learn:(?P<direction>prev|next):(?P<topic>[a-z0-9-]+):(?P<index>\d{1,6})",
):
    def __init__(self, direction: str, topic_id: str, index: int, *, disabled: bool = False):
        label = "Previous" if direction == "prev" else "Next"
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"learn:{direction}:{topic_id}:{index}",
                disabled=disabled,
            )
        )
        self.direction = direction
        self.topic_id = topic_id
        self.index = index

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> PageButton:
        return cls(match["direction"], match["topic"], int(match["index"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        library = library_of(interaction)
        step = 1 if self.direction == "next" else -1
        page = library.page(self.topic_id, self.index + step)
        if page is None:
            raise UserFacingError(GONE)
        await interaction.response.edit_message(
            embed=page_embed(library, page), view=page_view(page)
        )


class ShareButton(
    _Answering,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"learn:share:(?P<excerpt>[a-z0-9-]+):(?P<named>[01])",
):
    def __init__(self, excerpt_id: str, *, named: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Share with my name" if named else "Share here",
                style=discord.ButtonStyle.secondary if named else discord.ButtonStyle.primary,
                custom_id=f"learn:share:{excerpt_id}:{int(named)}",
            )
        )
        self.excerpt_id = excerpt_id
        self.named = named

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ShareButton:
        return cls(match["excerpt"], named=match["named"] == "1")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        library = library_of(interaction)
        excerpt = library.get(self.excerpt_id)
        if excerpt is None:
            raise UserFacingError(GONE)
        channel = interaction.channel
        if channel is None or not isinstance(channel, discord.abc.Messageable):
            raise UserFacingError("I can only share passages in a server channel or thread.")
        refused = missing_permissions(interaction)
        if refused:
            raise UserFacingError(cannot_post(refused))
        shared_by = interaction.user.display_name if self.named else None
        try:
            await channel.send(
                embed=shared_embed(library, excerpt, shared_by=shared_by),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.Forbidden:
            raise UserFacingError(cannot_post(["Send Messages", "Embed Links"])) from None
        note = "with your name" if self.named else "without your name"
        await interaction.response.send_message(
            f"Shared in this channel, {note}. Thank you for passing it on.", ephemeral=True
        )


def missing_permissions(interaction: discord.Interaction[Any]) -> list[str]:
    """What the bot lacks to post an embed here, from the permissions Discord sends with every
    interaction (so no member cache is needed)."""
    have = interaction.app_permissions
    in_thread = isinstance(interaction.channel, discord.Thread)
    needed = {
        "View Channel": have.view_channel,
        "Send Messages in Threads" if in_thread else "Send Messages": (
            have.send_messages_in_threads if in_thread else have.send_messages
        ),
        "Embed Links": have.embed_links,
    }
    return [name for name, granted in needed.items() if not granted]


def cannot_post(missing: list[str]) -> str:
    names = " and ".join(f"**{name}**" for name in missing)
    plural = "permissions" if len(missing) > 1 else "permission"
    return (
        f"I can't post in this channel: I need the {names} {plural} here. A moderator can give "
        "me that, or you could share the passage in another channel. Nothing was posted."
    )


def page_view(page: Page) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    topic = page.topic.id
    view.add_item(PageButton("prev", topic, page.index, disabled=not page.has_previous))
    view.add_item(PageButton("next", topic, page.index, disabled=not page.has_next))
    _add_share(view, page.excerpt)
    return view


def share_view(excerpt: Excerpt) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    _add_share(view, excerpt)
    return view


def _add_share(view: discord.ui.View, excerpt: Excerpt) -> None:
    view.add_item(ShareButton(excerpt.id, named=False))
    view.add_item(ShareButton(excerpt.id, named=True))
