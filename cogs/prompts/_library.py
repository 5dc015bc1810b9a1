"""/prompts add | list | remove | topics | review, and the members' /prompt suggest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import facilitator_only
from bot.errors import answer_first, respond
from bot.i18n import _
from cogs.prompts._components import (
    PromptModal,
    list_embed,
    list_view,
    show_next,
    topics_text,
    topics_view,
)
from cogs.prompts._feature import feature_of
from cogs.prompts._group import PROMPTS, CommandsMixin, guild_id_of, kindly

if TYPE_CHECKING:
    from bot.app import MutualBot


class LibraryCommands(CommandsMixin):
    bot: MutualBot

    @PROMPTS.command(name="add", description="Add a prompt of this server's own")
    @app_commands.describe(topic="Optional topic, so topic choices apply to it too")
    @facilitator_only()
    async def add(self, interaction: discord.Interaction[Any], topic: str | None = None) -> None:
        if topic is not None:
            await kindly(feature_of(self.bot).library.check_topic(topic))
        await interaction.response.send_modal(PromptModal(suggest=False, topic=topic))

    @add.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold().strip()
        return [
            app_commands.Choice(name=t.label[:100], value=t.id)
            for t in self.bot.content.topics.values()
            if needle in t.label.casefold() or needle in t.id
        ][:25]

    @PROMPTS.command(name="list", description="This server's own prompts, page by page")
    @app_commands.describe(page="Which page to open (default 1)")
    @facilitator_only()
    async def list_(self, interaction: discord.Interaction[Any], page: int = 1) -> None:
        found = await feature_of(self.bot).library.page(guild_id_of(interaction), page - 1)
        await interaction.response.send_message(
            embed=list_embed(found, self.bot.content), view=list_view(found), ephemeral=True
        )

    @PROMPTS.command(name="remove", description="Remove one of this server's own prompts")
    @app_commands.describe(prompt="The prompt's number, as /prompts list shows it")
    @facilitator_only()
    async def remove(self, interaction: discord.Interaction[Any], prompt: int) -> None:
        await answer_first(interaction)
        await kindly(feature_of(self.bot).library.remove(guild_id_of(interaction), prompt))
        await respond(
            interaction,
            _("Removed prompt #{number}. It won't be posted again.").format(number=prompt),
        )

    @remove.autocomplete("prompt")
    async def remove_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        library = feature_of(self.bot).library
        needle = current.casefold().strip().lstrip("#")
        choices: list[app_commands.Choice[int]] = []
        page = 0
        while len(choices) < 25:
            found = await library.page(interaction.guild_id, page)
            for item in found.items:
                label = f"#{item.id} {' '.join(item.text.split())}"
                if needle in label.casefold():
                    choices.append(app_commands.Choice(name=label[:100], value=item.id))
            page += 1
            if page >= found.pages:
                break
        return choices[:25]

    @PROMPTS.command(name="topics", description="Choose topics to leave out of daily prompts")
    @facilitator_only()
    async def topics(self, interaction: discord.Interaction[Any]) -> None:
        left_out = await feature_of(self.bot).library.excluded(guild_id_of(interaction))
        await interaction.response.send_message(
            topics_text(left_out, self.bot.content),
            view=topics_view(left_out, self.bot.content),
            ephemeral=True,
        )

    @PROMPTS.command(name="review", description="Review prompts members suggested")
    @facilitator_only()
    async def review(self, interaction: discord.Interaction[Any]) -> None:
        await show_next(interaction, "", edit=False)


class PromptSuggest(commands.Cog):
    """Members' side: one command, no moderator rights needed."""

    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    group = app_commands.Group(
        name="prompt", description="Daily reflection prompts", guild_only=True
    )

    @group.command(name="suggest", description="Suggest a reflection prompt for this server")
    async def suggest(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(PromptModal(suggest=True))
