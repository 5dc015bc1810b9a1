"""/prompts export and /prompts import: a server's own prompts as a CSV file."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.checks import facilitator_only
from bot.errors import answer_first, respond
from bot.i18n import _, ngettext
from bot.i18n.numbers import number
from bot.services.prompts.bulk import FILENAME, MAX_FILE_BYTES, ImportProblems
from cogs.prompts._feature import feature_of
from cogs.prompts._group import PROMPTS, CommandsMixin, guild_id_of

if TYPE_CHECKING:
    from bot.app import MutualBot

# Room left in a 2000-character message after the opening sentence.
PROBLEMS_SHOWN_CHARS = 1700


class BulkCommands(CommandsMixin):
    bot: MutualBot

    @PROMPTS.command(name="export", description="This server's own prompts as a CSV file")
    @facilitator_only()
    async def export(self, interaction: discord.Interaction[Any]) -> None:
        await answer_first(interaction)
        data, count = await feature_of(self.bot).files.export(guild_id_of(interaction))
        text = ngettext(
            "Here is this server's {count} prompt, one a row: text, topic, content note. "
            "Edit it and bring it back with /prompts import.",
            "Here are this server's {count} prompts, one a row: text, topic, content note. "
            "Edit them and bring them back with /prompts import.",
            count,
        ).format(count=number(count))
        await respond(interaction, text, file=discord.File(io.BytesIO(data), FILENAME))

    @PROMPTS.command(name="import", description="Add prompts from a CSV file, all or none")
    @app_commands.describe(file="A CSV file: text, topic, content note (as /prompts export makes)")
    @facilitator_only()
    async def import_(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None:
        await answer_first(interaction)
        if file.size > MAX_FILE_BYTES:
            await respond(
                interaction,
                _("The file is larger than {size} KB; please split it.").format(
                    size=number(MAX_FILE_BYTES // 1000)
                ),
            )
            return
        try:
            data = await file.read()
        except discord.HTTPException:
            await respond(
                interaction, _("I couldn't fetch that file from Discord. Please try again.")
            )
            return
        try:
            added = await feature_of(self.bot).files.import_file(guild_id_of(interaction), data)
        except ImportProblems as refused:
            await self._refuse(interaction, refused.problems)
            return
        await respond(
            interaction,
            ngettext(
                "Imported {count} prompt. /prompts list shows it.",
                "Imported {count} prompts. /prompts list shows them.",
                added,
            ).format(count=number(added)),
        )

    async def _refuse(self, interaction: discord.Interaction[Any], problems: list[str]) -> None:
        """Every problem named: in the message when they fit, else in an attached list too."""
        opening = ngettext(
            "Nothing was imported: I found {count} problem. Fix it and try again.",
            "Nothing was imported: I found {count} problems. Fix them and try again.",
            len(problems),
        ).format(count=number(len(problems)))
        listed = "\n".join(problems)
        if len(listed) <= PROBLEMS_SHOWN_CHARS:
            await respond(interaction, f"{opening}\n{listed}")
            return
        shown = listed[:PROBLEMS_SHOWN_CHARS].rsplit("\n", 1)[0]
        await respond(
            interaction,
            f"{opening}\n{shown}\n" + _("The attached file lists them all."),
            file=discord.File(io.BytesIO(listed.encode()), "mutual-import-problems.txt"),
        )
