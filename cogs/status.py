"""/status: one private screen for moderators on what Mutual will do next and what is stuck."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import MutualBot
from bot.channel_needs import channel_problem
from bot.checks import facilitator_only
from bot.errors import answer_first, respond
from bot.i18n import N_, _, ngettext
from bot.services.status import (
    PostRow,
    ScheduleRow,
    ServerStatus,
    configured_channels,
    server_status,
)

OUTCOMES = {
    "sent": N_("posted"),
    "claimed": N_("being posted (or interrupted; it is looked up before any second try)"),
    "missed": N_("skipped: Mutual was offline past the grace period, so it was not posted late"),
    "failed": N_("failed: see the pause reason above, or the bot's log"),
}


def _prompt_lines(schedule: ScheduleRow) -> str:
    where = _("{channel} at {time} ({timezone})").format(
        channel=f"<#{schedule.channel_id}>", time=schedule.local_time, timezone=schedule.timezone
    )
    if schedule.paused_reason:
        paused = (
            _("**Paused until {until}**: {reason}").format(
                until=schedule.paused_until, reason=schedule.paused_reason
            )
            if schedule.paused_until
            else _("**Paused**: {reason}").format(reason=schedule.paused_reason)
        )
        return paused + "\n" + _("Set for {where}.").format(where=where)
    if schedule.next_run_utc is None:
        return _("Paused. Set for {where}; `/prompts resume` starts it again.").format(where=where)
    when = schedule.next_run_utc
    return _("Next: {date} ({relative}) in {where}.").format(
        date=f"<t:{when}:F>", relative=f"<t:{when}:R>", where=where
    )


def _last_post(post: PostRow | None) -> str:
    if post is None:
        return _("None yet.")
    outcome = OUTCOMES.get(post.status)
    return _("{date} in {channel}: {outcome}").format(
        date=post.local_date,
        channel=f"<#{post.channel_id}>",
        outcome=_(outcome) if outcome else post.status,
    )


def status_embed(status: ServerStatus, problems: list[str]) -> discord.Embed:
    waiting = status.waiting
    embed = discord.Embed(title=_("Mutual in this server"), colour=discord.Colour.teal())
    if not status.schedules:
        embed.add_field(
            name=_("Daily prompt"),
            value=_("Not set up. `/prompts setup` chooses a channel and a time."),
            inline=False,
        )
        embed.add_field(name=_("Last prompt"), value=_last_post(None), inline=False)
    named = len(status.schedules) > 1
    for each in status.schedules:
        name = each.schedule.name
        embed.add_field(
            name=_("Daily prompt: {name}").format(name=name) if named else _("Daily prompt"),
            value=_prompt_lines(each.schedule),
            inline=False,
        )
        embed.add_field(
            name=_("Last prompt: {name}").format(name=name) if named else _("Last prompt"),
            value=_last_post(each.last_post),
            inline=False,
        )
    embed.add_field(
        name=_("Discussions"),
        value=_("{open} open, {scheduled} scheduled").format(
            open=waiting.open_discussions, scheduled=waiting.scheduled_discussions
        ),
        inline=False,
    )
    questions = ngettext(
        "{count} anonymous question (`/discuss queue`)",
        "{count} anonymous questions (`/discuss queue`)",
        waiting.waiting_questions,
    ).format(count=waiting.waiting_questions)
    suggestions = ngettext(
        "{count} prompt suggestion (`/prompts review`)",
        "{count} prompt suggestions (`/prompts review`)",
        waiting.waiting_suggestions,
    ).format(count=waiting.waiting_suggestions)
    embed.add_field(
        name=_("Waiting for review"),
        value=_("{questions}, {suggestions}").format(questions=questions, suggestions=suggestions),
        inline=False,
    )
    embed.add_field(
        name=_("Permissions"),
        value="\n".join(f"• {p}" for p in problems)[:1024]
        if problems
        else _("All in place in the channels Mutual is set up to use."),
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
