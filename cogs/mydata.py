"""/mydata: every member can see and delete what Mutual keeps about them."""

from __future__ import annotations

import io
import json

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import MutualBot
from bot.errors import MutualView, answer_first, respond, update
from bot.i18n import _, ngettext


class ConfirmDelete(MutualView):
    def __init__(self, bot: MutualBot, owner_id: int) -> None:
        super().__init__(timeout=300)
        self.bot = bot
        self.owner_id = owner_id
        # Decorated buttons are declared once, in English; labelled here, per member.
        self.delete.label = _("Delete everything")
        self.keep.label = _("Keep it")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    @discord.ui.button(label="Delete everything", style=discord.ButtonStyle.danger)
    async def delete(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        await answer_first(interaction, update=True)
        removed = await self.bot.lifecycle.delete_member(interaction.user.id)
        self.stop()
        await update(
            interaction,
            content=ngettext(
                "Done. {count} stored item about you was deleted.",
                "Done. {count} stored items about you were deleted.",
                removed,
            ).format(count=removed),
            embed=None,
            view=None,
        )

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def keep(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=_("Nothing was deleted."), embed=None, view=None
        )


class MyData(commands.Cog):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    group = app_commands.Group(
        name="mydata", description="See or delete what Mutual keeps about you"
    )

    @group.command(name="show", description="See everything Mutual keeps about you")
    async def show(self, interaction: discord.Interaction) -> None:
        items = await self.bot.personal_data.describe(interaction.user.id)
        if not items:
            text = _("Mutual keeps nothing about you.")
        else:
            text = "\n".join(f"• **{_(item.feature)}**: {item.description}" for item in items)[
                :4000
            ]
        embed = discord.Embed(title=_("What Mutual keeps about you"), description=text)
        embed.set_footer(text=_("Kept under a keyed code, never your account id."))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @group.command(name="export", description="Download everything Mutual keeps about you")
    async def export(self, interaction: discord.Interaction) -> None:
        await answer_first(interaction)
        found = await self.bot.personal_data.export(interaction.user.id)
        document = {
            "about": _(
                "Everything Mutual keeps about you, by feature. Self-check answers are never "
                "stored; what is here is kept under a keyed code, never your account id."
            ),
            "exported_at": self.bot.clock.now().isoformat(timespec="seconds"),
            "data": found,
        }
        raw = json.dumps(document, ensure_ascii=False, indent=2).encode()
        text = (
            _("Here is everything Mutual keeps about you, as a JSON file only you can see.")
            if found
            else _("Mutual keeps nothing about you; the file says so too.")
        )
        await respond(interaction, text, file=discord.File(io.BytesIO(raw), "mutual-mydata.json"))

    @group.command(name="delete", description="Delete everything Mutual keeps about you")
    async def delete(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            _(
                "This deletes your saved self-check history and anything else kept about you, "
                "in every server. It cannot be undone."
            ),
            view=ConfirmDelete(self.bot, interaction.user.id),
            ephemeral=True,
        )


async def setup(bot: MutualBot) -> None:
    await bot.add_cog(MyData(bot))
