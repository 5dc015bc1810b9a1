"""/status: one private screen for moderators on what Mutual will do next and what is stuck."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import MutualBot
from bot.channel_needs import channel_problem
from bot.checks import facilitator_only
from bot.db.overview import configured_channels
from bot.errors import answer_first, respond
from bot.services.status import ServerStatus, server_status

OUTCOMES = {
    "sent": "posted",
    "claimed": "being posted (or interrupted; it is looked up before any second try)",
    "missed": "skipped: Mutual was offline past the grace period, so it was not posted late",
    "failed": "failed: see the pause reason above, or the bot's log",
}


def _prompt_lines(status: ServerStatus) -> str:
    schedule = status.schedule
    if schedule is None:
        return "Not set up. `/prompts setup` chooses a channel and a time."
    where = f"<#{schedule.channel_id}> at {schedule.local_time} ({schedule.timezone})"
    if schedule.paused_reason:
        until = f" until {schedule.paused_until}" if schedule.paused_until else ""
        return f"**Paused{until}**: {schedule.paused_reason}\nSet for {where}."
    if schedule.next_run_utc is None:
        return f"Paused. Set for {where}; `/prompts resume` starts it again."
    when = schedule.next_run_utc
    return f"Next: <t:{when}:F> (<t:{when}:R>) in {where}."


def _last_post(status: ServerStatus) -> str:
    post = status.last_post
    if post is None:
        return "None yet."
    return f"{post.local_date} in <#{post.channel_id}>: {OUTCOMES.get(post.status, post.status)}"


def status_embed(status: ServerStatus, problems: list[str]) -> discord.Embed:
    waiting = status.waiting
    embed = discord.Embed(title="Mutual in this server", colour=discord.Colour.teal())
    embed.add_field(name="Daily prompt", value=_prompt_lines(status), inline=False)
    embed.add_field(name="Last prompt", value=_last_post(status), inline=False)
    embed.add_field(
        name="Discussions",
        value=f"{waiting.open_discussions} open, {waiting.scheduled_discussions} scheduled",
        inline=False,
    )
    embed.add_field(
        name="Waiting for review",
        value=f"{waiting.waiting_questions} anonymous question(s) (`/discuss queue`), "
        f"{waiting.waiting_suggestions} prompt suggestion(s) (`/prompts review`)",
        inline=False,
    )
    embed.add_field(
        name="Permissions",
        value="\n".join(f"• {p}" for p in problems)[:1024]
        if problems
        else "All in place in the channels Mutual is set up to use.",
        inline=False,
    )
    return embed


class Status(commands.Cog):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot

    @app_commands.command(name="status", description="What Mutual will do next here, and why")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @facilitator_only()
    async def status(self, interaction: discord.Interaction) -> None:
        await answer_first(interaction)
        assert interaction.guild_id is not None
        found = await server_status(self.bot.db, interaction.guild_id)
        configured = await configured_channels(self.bot.db, interaction.guild_id)
        problems = [p for c in configured if (p := channel_problem(self.bot, c)) is not None]
        await respond(interaction, embed=status_embed(found, problems))


async def setup(bot: MutualBot) -> None:
    await bot.add_cog(Status(bot))
