"""/about: what Mutual is and what it promises about privacy."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import MutualBot
from bot.i18n import N_, _

ABOUT_TEXT = N_(
    "Mutual is a calm companion for peer-support communities about healthy dependence, "
    "interdependence and codependency. It offers private self-checks (`/selfcheck`), a daily "
    "reflection prompt, short passages from trusted articles (`/learn`) and facilitator-led "
    "discussions where you can ask questions anonymously (`/ask`)."
)
PRIVACY_TEXT = N_(
    "Your self-check answers are never stored or logged, and results are kept only if you press "
    "Save. What is kept is filed under a keyed code made from your account, never your account "
    "id, so neither moderators nor the database alone can tell who took a check or asked an "
    "anonymous question. You can see and delete everything kept about you with `/mydata`."
)
CARE_TEXT = N_(
    "Mutual is peer support, not therapy and not a crisis service. If you need help now, "
    "`/resources` lists places to turn to."
)


def about_embed() -> discord.Embed:
    embed = discord.Embed(
        title=_("About Mutual"), description=_(ABOUT_TEXT), colour=discord.Colour.teal()
    )
    embed.add_field(name=_("Privacy"), value=_(PRIVACY_TEXT), inline=False)
    embed.add_field(name=_("Care"), value=_(CARE_TEXT), inline=False)
    return embed


class About(commands.Cog):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Mutual does and how it keeps you private")
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=about_embed(), ephemeral=True)


async def setup(bot: MutualBot) -> None:
    await bot.add_cog(About(bot))
