"""Buttons that keep working after a restart: their custom ids carry everything they need.

Paging ids carry the topic and the current index; sharing ids carry the excerpt id and whether
the member chose to be named. Topic order comes from the content alone, so an index still means
the same excerpt after the bot restarts.
"""

from __future__ import annotations

import re
from typing import Any, cast

import discord
from babel.lists import format_list

from bot.app import MutualBot
from bot.content import Excerpt
from bot.errors import UserFacingError, report_error
from bot.i18n import N_, _, locale_scope, ngettext
from bot.i18n.dates import babel_locale
from bot.services.excerpts import ExcerptLibrary, Page
from cogs._common import server_language
from cogs.learn._render import page_embed, shared_embed

GONE = N_("That passage is no longer in the library. `/learn topic` shows what there is now.")
# Discord's own names for the permissions, as a moderator sees them in the server settings.
VIEW_CHANNEL = N_("View Channel")
SEND_MESSAGES = N_("Send Messages")
SEND_IN_THREADS = N_("Send Messages in Threads")
EMBED_LINKS = N_("Embed Links")


def library_of(interaction: discord.Interaction[Any]) -> ExcerptLibrary:
    return cast(MutualBot, interaction.client).excerpts


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
        label = _("Previous") if direction == "prev" else _("Next")
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
            raise UserFacingError(_(GONE))
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
                label=_("Share with my name") if named else _("Share here"),
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
            raise UserFacingError(_(GONE))
        channel = interaction.channel
        if channel is None or not isinstance(channel, discord.abc.Messageable):
            raise UserFacingError(_("I can only share passages in a server channel or thread."))
        refused = missing_permissions(interaction)
        if refused:
            raise UserFacingError(cannot_post(refused))
        shared_by = interaction.user.display_name if self.named else None
        bot = cast(MutualBot, interaction.client)
        # A public post: its frame is in the server's language, the passage stays as quoted.
        with locale_scope(await server_language(bot, bot.db, interaction.guild_id)):
            embed = shared_embed(library, excerpt, shared_by=shared_by)
        try:
            await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.Forbidden:
            raise UserFacingError(cannot_post([SEND_MESSAGES, EMBED_LINKS])) from None
        thanks = (
            _("Shared in this channel, with your name. Thank you for passing it on.")
            if self.named
            else _("Shared in this channel, without your name. Thank you for passing it on.")
        )
        await interaction.response.send_message(thanks, ephemeral=True)


def missing_permissions(interaction: discord.Interaction[Any]) -> list[str]:
    """What the bot lacks to post an embed here, from the permissions Discord sends with every
    interaction (so no member cache is needed)."""
    have = interaction.app_permissions
    in_thread = isinstance(interaction.channel, discord.Thread)
    needed = {
        VIEW_CHANNEL: have.view_channel,
        SEND_IN_THREADS if in_thread else SEND_MESSAGES: (
            have.send_messages_in_threads if in_thread else have.send_messages
        ),
        EMBED_LINKS: have.embed_links,
    }
    return [name for name, granted in needed.items() if not granted]


def cannot_post(missing: list[str]) -> str:
    """`missing` holds the permissions' English names (the msgids); they are shown translated."""
    names = format_list([f"**{_(name)}**" for name in missing], locale=babel_locale())
    return ngettext(
        "I can't post in this channel: I need the {names} permission here. A moderator can give "
        "me that, or you could share the passage in another channel. Nothing was posted.",
        "I can't post in this channel: I need the {names} permissions here. A moderator can "
        "give me that, or you could share the passage in another channel. Nothing was posted.",
        len(missing),
    ).format(names=names)


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
