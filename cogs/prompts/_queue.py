"""/prompts queue add | list | clear: prompts moderators chose to post next, in order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.checks import facilitator_only
from bot.errors import answer_first, respond
from bot.i18n import _, ngettext
from bot.i18n.numbers import number
from cogs.prompts._feature import feature_of
from cogs.prompts._group import PROMPTS, CommandsMixin, guild_id_of, kindly

if TYPE_CHECKING:
    from bot.app import MutualBot

QUEUE = app_commands.Group(
    name="queue", description="Choose which prompts are posted next", parent=PROMPTS
)
SHOWN_CHARS = 120


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class QueueCommands(CommandsMixin):
    bot: MutualBot

    @QUEUE.command(name="add", description="Post this prompt next, ahead of the rotation")
    @app_commands.describe(prompt="Start typing words of the prompt")
    @facilitator_only()
    async def queue_add(self, interaction: discord.Interaction[Any], prompt: str) -> None:
        await answer_first(interaction)
        queue = feature_of(self.bot).queue
        text, place = await kindly(queue.add(guild_id_of(interaction), prompt))
        await respond(
            interaction,
            _("Queued at place {place}: “{prompt}”").format(
                place=number(place), prompt=_short(text.words(self.bot.content), 300)
            ),
        )

    @queue_add.autocomplete("prompt")
    async def queue_add_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        words = current.casefold().split()
        own = await feature_of(self.bot).library.all_own(interaction.guild_id)
        candidates = [(c.key, f"#{c.id} {c.text}") for c in own] + [
            (p.id, p.text) for p in self.bot.content.prompts.values()
        ]
        return [
            app_commands.Choice(name=_short(label, 100), value=key)
            for key, label in candidates
            if all(word in label.casefold() for word in words)
        ][:25]

    @QUEUE.command(name="list", description="The prompts queued to be posted next")
    @facilitator_only()
    async def queue_list(self, interaction: discord.Interaction[Any]) -> None:
        await answer_first(interaction)
        waiting = await feature_of(self.bot).queue.waiting(guild_id_of(interaction))
        if not waiting:
            await respond(
                interaction,
                _(
                    "Nothing is queued; the next prompts come from the rotation. "
                    "/prompts queue add puts one first."
                ),
            )
            return
        lines = [
            f"{place}. {_short(text.words(self.bot.content), SHOWN_CHARS)}"
            for place, text in enumerate(waiting, start=1)
        ]
        opening = ngettext(
            "{count} prompt is queued; it is posted before the rotation continues:",
            "{count} prompts are queued, posted in this order before the rotation continues:",
            len(waiting),
        ).format(count=number(len(waiting)))
        await respond(interaction, "\n".join([opening, *lines]))

    @QUEUE.command(name="clear", description="Empty the queue; the rotation continues as before")
    @facilitator_only()
    async def queue_clear(self, interaction: discord.Interaction[Any]) -> None:
        await answer_first(interaction)
        removed = await feature_of(self.bot).queue.clear(guild_id_of(interaction))
        await respond(
            interaction,
            ngettext(
                "Removed {count} prompt from the queue; the rotation continues as before.",
                "Removed {count} prompts from the queue; the rotation continues as before.",
                removed,
            ).format(count=number(removed)),
        )
