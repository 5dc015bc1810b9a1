"""/learn: read short passages from the source articles, privately, and share them if you like."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.i18n import _
from bot.services.excerpts import ExcerptLibrary
from bot.services.exclusions import exclusions_for
from bot.services.server_settings import Storage
from cogs.learn._buttons import page_view, share_view
from cogs.learn._render import page_embed, random_embed, search_embed, sources_embed


class Learn(commands.Cog):
    group = app_commands.Group(
        name="learn", description="Short passages from articles about healthy dependence"
    )

    def __init__(self, library: ExcerptLibrary, db: Storage) -> None:
        self.library = library
        self.db = db

    @group.command(name="topic", description="Read passages on one topic, one at a time")
    @app_commands.describe(topic="Start typing to see the topics")
    async def topic(self, interaction: discord.Interaction[Any], topic: str) -> None:
        found = self.library.find_topic(topic)
        page = self.library.page(found.id, 0) if found else None
        if page is None:
            names = ", ".join(t.label for t in self.library.topics()[:8])
            raise UserFacingError(
                _(
                    "I don't have a topic by that name. Pick one of the suggestions as you type, "
                    "for example: {topics}."
                ).format(topics=names)
            )
        await interaction.response.send_message(
            embed=page_embed(self.library, page), view=page_view(page), ephemeral=True
        )

    @topic.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=topic.label, value=topic.id)
            for topic in self.library.matching_topics(current, limit=25)
        ]

    @group.command(name="search", description="Find passages that use certain words")
    @app_commands.describe(query="Words to look for, such as: boundaries, fear of being left")
    async def search(
        self, interaction: discord.Interaction[Any], query: app_commands.Range[str, 1, 200]
    ) -> None:
        result = self.library.search(query)
        await interaction.response.send_message(
            embed=search_embed(self.library, result), ephemeral=True
        )

    @group.command(name="random", description="A passage picked at random")
    async def random(self, interaction: discord.Interaction[Any]) -> None:
        excerpt = self.library.random(await exclusions_for(self.db, interaction.guild_id))
        if excerpt is None:
            raise UserFacingError(_("There are no passages in the library yet."))
        await interaction.response.send_message(
            embed=random_embed(self.library, excerpt), view=share_view(excerpt), ephemeral=True
        )

    @group.command(name="sources", description="The articles the passages come from")
    async def sources(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(
            embed=sources_embed(self.library.sources()), ephemeral=True
        )
