"""Modals and buttons for a server's own prompts. Buttons and the topic menu are DynamicItems
whose custom ids carry what they act on, so they keep working after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.checks import is_facilitator, needed_role_text
from bot.errors import (
    MutualModal,
    answer_first,
    report_error,
    respond,
    send_ephemeral,
    update,
)
from bot.i18n import N_, _, ngettext
from bot.i18n.numbers import number
from bot.services.prompts.library import MAX_CHARS, MAX_WARNING, CustomPage
from cogs.prompts._feature import feature_of
from cogs.prompts._group import kindly
from cogs.prompts._remove import RemoveButton
from cogs.prompts._render import NO_MENTIONS, custom_line, suggestion_embed


class PromptModal(MutualModal):
    """One form for both a moderator's new prompt and a member's suggestion."""

    def __init__(self, *, suggest: bool, topic: str | None = None) -> None:
        super().__init__(title=_("Suggest a prompt") if suggest else _("Add a prompt"), timeout=900)
        self.suggest = suggest
        self.topic = topic
        self.text: discord.ui.TextInput[PromptModal] = discord.ui.TextInput(
            label=_("The prompt"),
            style=discord.TextStyle.paragraph,
            placeholder=_("An open question or gentle invitation to reflect"),
            min_length=10,
            max_length=MAX_CHARS,
            custom_id="text",
        )
        self.warning: discord.ui.TextInput[PromptModal] = discord.ui.TextInput(
            label=_("Content note (optional)"),
            placeholder=_("For example: mentions family conflict"),
            required=False,
            max_length=MAX_WARNING,
            custom_id="warning",
        )
        self.add_item(self.text)
        self.add_item(self.warning)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.guild_id is None:
            return
        feature = feature_of(interaction.client)
        await answer_first(interaction)
        if self.suggest:
            await kindly(
                feature.library.suggest(
                    interaction.guild_id, interaction.user.id, self.text.value, self.warning.value
                )
            )
            text = _(
                "Thank you! Your suggestion is with the moderators. If they approve it, it joins "
                "this server's daily prompts (without your name). /mydata shows it until then."
            )
        else:
            if not await is_facilitator(interaction):
                await send_ephemeral(interaction, await needed_role_text(interaction))
                return
            added = await kindly(
                feature.library.add(
                    interaction.guild_id, self.text.value, self.warning.value, self.topic
                )
            )
            text = _("Added as prompt #{number}. It joins this server's rotation.").format(
                number=added.id
            )
        await respond(interaction, text)


async def _moderator(interaction: discord.Interaction[Any]) -> bool:
    if interaction.guild_id is not None and await is_facilitator(interaction):
        return True
    await send_ephemeral(interaction, await needed_role_text(interaction))
    return False


def list_embed(page: CustomPage, content: Any) -> discord.Embed:
    if not page.items:
        text = _("This server has no prompts of its own yet. Add one with /prompts add.")
    else:
        text = "\n\n".join(custom_line(p, content) for p in page.items)
    embed = discord.Embed(title=_("This server's own prompts"), description=text[:4096])
    footer = ngettext(
        "Page {page} of {pages} · {count} prompt",
        "Page {page} of {pages} · {count} prompts",
        page.total,
    )
    embed.set_footer(
        text=footer.format(
            page=number(page.page + 1), pages=number(page.pages), count=number(page.total)
        )
    )
    return embed


class ListButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mutual:prompt-list:(?P<dir>prev|next):(?P<page>\d{1,6})",
):
    def __init__(self, direction: str, page: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=_("Previous") if direction == "prev" else _("Next"),
                style=discord.ButtonStyle.secondary,
                custom_id=f"mutual:prompt-list:{direction}:{page}",
                disabled=disabled,
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ListButton:
        return cls(match["dir"], int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if not await _moderator(interaction):
                return
            assert interaction.guild_id is not None
            page = await feature_of(interaction.client).library.page(
                interaction.guild_id, self.page
            )
            await interaction.response.edit_message(
                embed=list_embed(page, interaction.client.content), view=list_view(page)
            )
        except Exception as error:
            await report_error(interaction, error)


def list_view(page: CustomPage) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ListButton("prev", max(page.page - 1, 0), disabled=page.page == 0))
    view.add_item(ListButton("next", page.page + 1, disabled=page.page >= page.pages - 1))
    return view


class TopicSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"mutual:prompt-topics"):
    def __init__(self, options: list[discord.SelectOption] | None = None) -> None:
        options = options or [discord.SelectOption(label="-", value="-")]
        super().__init__(
            discord.ui.Select(
                custom_id="mutual:prompt-topics",
                placeholder=_("Topics to leave out of daily prompts"),
                min_values=0,
                max_values=len(options),
                options=options,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TopicSelect:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if not await _moderator(interaction):
                return
            assert interaction.guild_id is not None
            data: dict[str, Any] = dict(interaction.data or {})
            values = [str(v) for v in data.get("values", [])]
            feature = feature_of(interaction.client)
            await answer_first(interaction, update=True)
            left_out = await feature.library.set_excluded(interaction.guild_id, values)
            await update(
                interaction,
                content=topics_text(left_out, interaction.client.content),
                view=topics_view(left_out, interaction.client.content),
            )
        except Exception as error:
            await report_error(interaction, error)


def topics_text(left_out: set[str], content: Any) -> str:
    if not left_out:
        return _("Every topic is included in daily prompts. Pick topics below to leave them out.")
    names = ", ".join(sorted(content.topic_label(t) for t in left_out))
    return _("Left out of daily prompts: {topics}. Change the selection below at any time.").format(
        topics=names
    )


def topics_view(left_out: set[str], content: Any) -> discord.ui.View:
    used = {p.topic for p in content.prompts.values()}
    options = [
        discord.SelectOption(label=t.label[:100], value=t.id, default=t.id in left_out)
        for t in content.topics.values()
        if t.id in used
    ][:25]
    view = discord.ui.View(timeout=None)
    view.add_item(TopicSelect(options))
    return view


REVIEW_LABELS = {"approve": N_("Approve"), "reject": N_("Reject")}


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mutual:prompt-review:(?P<action>approve|reject):(?P<id>\d{1,18})",
):
    def __init__(self, action: str, suggestion_id: int) -> None:
        style = (
            discord.ButtonStyle.success if action == "approve" else discord.ButtonStyle.secondary
        )
        super().__init__(
            discord.ui.Button(
                label=_(REVIEW_LABELS[action]),
                style=style,
                custom_id=f"mutual:prompt-review:{action}:{suggestion_id}",
            )
        )
        self.action = action
        self.suggestion_id = suggestion_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReviewButton:
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if not await _moderator(interaction):
                return
            assert interaction.guild_id is not None
            library = feature_of(interaction.client).library
            await answer_first(interaction, update=True)
            if self.action == "approve":
                added = await kindly(library.approve(interaction.guild_id, self.suggestion_id))
                done = _("Approved: it's now prompt #{number} in this server's rotation.").format(
                    number=added.id
                )
            else:
                await kindly(library.reject(interaction.guild_id, self.suggestion_id))
                done = _("Rejected. The suggestion was removed from the queue.")
            await show_next(interaction, done, edit=True)
        except Exception as error:
            await report_error(interaction, error)


async def show_next(interaction: discord.Interaction[Any], note: str, *, edit: bool) -> None:
    """The oldest waiting suggestion with its buttons, or word that the queue is empty."""
    assert interaction.guild_id is not None
    library = feature_of(interaction.client).library
    found = await library.next_pending(interaction.guild_id)
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    if found is None:
        note = (
            _("{done} No suggestions are waiting.").format(done=note)
            if note
            else _("No suggestions are waiting.")
        )
    else:
        waiting = await library.pending_count(interaction.guild_id)
        embed = suggestion_embed(found.id, found.text, found.content_warning, waiting)
        view = discord.ui.View(timeout=None)
        view.add_item(ReviewButton("approve", found.id))
        view.add_item(ReviewButton("reject", found.id))
    if edit:
        await update(
            interaction, content=note or None, embed=embed, view=view, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.response.send_message(
            content=note or None,
            embed=embed or discord.utils.MISSING,
            view=view or discord.utils.MISSING,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


DYNAMIC_ITEMS = (ListButton, TopicSelect, ReviewButton, RemoveButton)
