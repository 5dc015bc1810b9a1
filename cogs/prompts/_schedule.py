"""/prompts setup | schedules | remove-schedule | ping | status | pause | resume | skip | post-now |
preview | off. A server may keep several named schedules; each command acts on the one named
in its `schedule` option, or on the server's first when none is named."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.checks import facilitator_only
from bot.errors import UserFacingError, answer_first, respond
from bot.i18n import _
from bot.services.prompts import records as repo
from bot.services.prompts.formats import day_and_month
from bot.services.prompts.pauses import shown_reason
from bot.services.prompts.records import set_ping_role
from bot.services.prompts.schedule import autocomplete_timezones
from cogs.prompts._feature import feature_of
from cogs.prompts._group import PROMPTS, CommandsMixin, kindly
from cogs.prompts._poster import missing_permission
from cogs.prompts._remove import RemoveButton
from cogs.prompts._render import (
    NO_MENTIONS,
    prompt_embed,
    schedules_embed,
    status_embed,
    warning_line,
)

if TYPE_CHECKING:
    from bot.app import MutualBot

PostChannel = discord.TextChannel | discord.VoiceChannel | discord.StageChannel | discord.Thread


def _guild_id(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(_("This command works inside a server, not in direct messages."))
    return interaction.guild_id


def _stamp(moment: Any) -> str:
    return f"<t:{int(moment.timestamp())}:F>"


SCHEDULE_HINT = "Which schedule (default: the server's first); /prompts schedules lists them"


async def schedule_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """The server's schedule names that start with what was typed."""
    if interaction.guild_id is None:
        return []
    names = await feature_of(interaction.client).schedules.names(interaction.guild_id)
    typed = current.strip().lower()
    return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(typed)][:25]


class ScheduleCommands(CommandsMixin):
    bot: MutualBot

    @PROMPTS.command(name="setup", description="Post one reflection prompt a day in a channel")
    @app_commands.describe(
        channel="Where the prompts go",
        time="Local time, 24-hour HH:MM (for example 09:00)",
        timezone="Your server's timezone, for example Europe/Berlin",
        weekdays="Which days: daily (default), weekdays, weekends, mon-fri or mon,wed,fri",
        thread="Open a thread under each prompt for replies (default: on)",
        pin="Pin each day's prompt (default: off)",
        excerpt="Add an excerpt of the day from the article library (default: off)",
        schedule="Name a schedule to change, or a new name to add one (for example weekend)",
        topics="Only these topics, comma-separated (default: every topic the server allows)",
    )
    @facilitator_only()
    async def setup_(
        self,
        interaction: discord.Interaction[Any],
        channel: PostChannel,
        time: str,
        timezone: str,
        weekdays: str | None = None,
        thread: bool | None = None,
        pin: bool = False,
        excerpt: bool = False,
        schedule: str | None = None,
        topics: str | None = None,
    ) -> None:
        guild_id = _guild_id(interaction)
        supports_threads = isinstance(channel, discord.TextChannel)
        if thread and not supports_threads:
            raise UserFacingError(
                _(
                    "{channel} can't hold threads of its own. Run the command again with "
                    "thread set to False, or pick a text channel."
                ).format(channel=channel.mention)
            )
        use_thread = supports_threads if thread is None else thread
        guild = interaction.guild
        missing = missing_permission(
            channel, guild.me if guild else None, thread=use_thread, pin=pin
        )
        if missing is not None:
            raise UserFacingError(
                _(
                    "I can't post in {channel} yet: I'm missing the **{permission}** "
                    "permission there. A server admin can grant it in the channel's settings, "
                    "then try again."
                ).format(channel=channel.mention, permission=_(missing))
            )
        feature = feature_of(self.bot)
        await answer_first(interaction)
        info = await kindly(
            feature.schedules.setup(
                guild_id, channel.id, time, timezone, weekdays,
                use_thread=use_thread, pin=pin, with_excerpt=excerpt, name=schedule,
                topics=topics,
            )
        )  # fmt: skip
        first = info.upcoming[0].at_utc if info.upcoming else None
        text = (
            _("Daily prompts are set. The first one comes {when}.").format(when=_stamp(first))
            if first
            else _("Daily prompts are set.")
        )
        await respond(interaction, text, embed=status_embed(info, self.bot.content))

    @setup_.autocomplete("schedule")
    async def setup_schedule_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await schedule_choices(interaction, current)

    @setup_.autocomplete("topics")
    async def topics_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        """Completes the last topic of a comma-separated list."""
        done, _sep, last = current.rpartition(",")
        typed = last.strip().lower()
        head = f"{done}, " if done else ""
        found = [t for t in sorted(self.bot.content.topics) if t.startswith(typed)]
        return [app_commands.Choice(name=(head + t)[:100], value=(head + t)[:100]) for t in found][
            :25
        ]

    @PROMPTS.command(name="schedules", description="List this server's prompt schedules")
    @facilitator_only()
    async def schedules(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = _guild_id(interaction)
        infos = await feature_of(self.bot).schedules.all(guild_id)
        if not infos:
            await interaction.response.send_message(
                _("Daily prompts aren't set up here. Start them with /prompts setup."),
                ephemeral=True,
            )
            return
        await interaction.response.send_message(
            embed=schedules_embed(infos), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @PROMPTS.command(
        name="remove-schedule", description="Remove one of this server's prompt schedules"
    )
    @app_commands.describe(schedule="The schedule to remove; /prompts schedules lists them")
    @facilitator_only()
    async def remove_schedule(self, interaction: discord.Interaction[Any], schedule: str) -> None:
        guild_id = _guild_id(interaction)
        info = await kindly(feature_of(self.bot).schedules.info(guild_id, schedule))
        if info is None:
            await interaction.response.send_message(
                _("Daily prompts aren't set up here. Start them with /prompts setup."),
                ephemeral=True,
            )
            return
        view = discord.ui.View(timeout=None)
        view.add_item(RemoveButton(info.schedule.name))
        await interaction.response.send_message(
            _(
                "Remove the schedule “{name}” (posting in {channel})? Its past posts stay; "
                "the server's other schedules go on."
            ).format(name=info.schedule.name, channel=f"<#{info.schedule.channel_id}>"),
            view=view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    remove_schedule.autocomplete("schedule")(schedule_choices)

    @setup_.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in autocomplete_timezones(current)]

    @setup_.autocomplete("weekdays")
    async def weekdays_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        common = ("daily", "weekdays", "weekends", "mon,wed,fri", "tue,thu", "sun")
        typed = current.strip().lower()
        found = [c for c in common if c.startswith(typed)] if typed else list(common)
        if typed and typed not in found:
            found.insert(0, typed[:100])
        return [app_commands.Choice(name=c, value=c) for c in found[:25]]

    @PROMPTS.command(
        name="ping", description="Mention a role with each daily prompt (off by default)"
    )
    @app_commands.describe(role="The role to mention; leave empty to stop mentioning anyone")
    @facilitator_only()
    async def ping(
        self, interaction: discord.Interaction[Any], role: discord.Role | None = None
    ) -> None:
        guild_id = _guild_id(interaction)
        if role is not None and role.is_default():
            raise UserFacingError(
                _(
                    "I won't mention everyone with the daily prompt. Pick a role that members "
                    'can choose to join, such as a "Daily prompt" role.'
                )
            )
        await set_ping_role(self.bot.db, guild_id, role.id if role else None)
        if role is None:
            text = _("Daily prompts no longer mention anyone.")
        else:
            text = _("Each daily prompt now mentions {role}, and nobody else.").format(
                role=role.mention
            )
            guild = interaction.guild
            me = guild.me if guild else None
            if not role.mentionable and not (me and me.guild_permissions.mention_everyone):
                text += "\n" + _(
                    "{role} can't be mentioned yet: a server admin can turn on “Allow anyone "
                    "to @mention this role” in the role's settings."
                ).format(role=role.mention)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @PROMPTS.command(name="status", description="Settings, the next five posting times, pauses")
    @app_commands.describe(schedule=SCHEDULE_HINT)
    @facilitator_only()
    async def status(
        self, interaction: discord.Interaction[Any], schedule: str | None = None
    ) -> None:
        guild_id = _guild_id(interaction)
        info = await kindly(feature_of(self.bot).schedules.info(guild_id, schedule))
        if info is None:
            await interaction.response.send_message(
                _("Daily prompts aren't set up here. Start them with /prompts setup."),
                ephemeral=True,
            )
            return
        pending = await repo.pending_count(self.bot.db, guild_id)
        await interaction.response.send_message(
            embed=status_embed(info, self.bot.content, pending), ephemeral=True
        )

    @PROMPTS.command(name="pause", description="Pause daily prompts, until a date if you like")
    @app_commands.describe(
        until="Resume on this local date (YYYY-MM-DD) or after N days (7d)",
        schedule=SCHEDULE_HINT,
    )
    @facilitator_only()
    async def pause(
        self,
        interaction: discord.Interaction[Any],
        until: str | None = None,
        schedule: str | None = None,
    ) -> None:
        feature = feature_of(self.bot)
        await answer_first(interaction)
        info = await kindly(feature.schedules.pause(_guild_id(interaction), until, schedule))
        stored = info.schedule.paused_reason
        said = shown_reason(stored, info.schedule.paused_until) if stored else _("Paused.")
        if info.upcoming:
            text = _("{paused} The next prompt comes {when}.").format(
                paused=said, when=_stamp(info.upcoming[0].at_utc)
            )
        else:
            text = _("{paused} Nothing is posted until someone runs /prompts resume.").format(
                paused=said
            )
        await respond(interaction, text)

    @PROMPTS.command(name="resume", description="Resume daily prompts after a pause")
    @app_commands.describe(schedule=SCHEDULE_HINT)
    @facilitator_only()
    async def resume(
        self, interaction: discord.Interaction[Any], schedule: str | None = None
    ) -> None:
        feature = feature_of(self.bot)
        await answer_first(interaction)
        info = await kindly(feature.schedules.resume(_guild_id(interaction), schedule))
        await respond(
            interaction,
            _("Resumed. The next prompt comes {when}.").format(
                when=_stamp(info.upcoming[0].at_utc)
            ),
        )

    @PROMPTS.command(name="skip", description="Skip the next scheduled prompt")
    @app_commands.describe(schedule=SCHEDULE_HINT)
    @facilitator_only()
    async def skip(
        self, interaction: discord.Interaction[Any], schedule: str | None = None
    ) -> None:
        feature = feature_of(self.bot)
        await answer_first(interaction)
        skipped, info = await kindly(feature.schedules.skip(_guild_id(interaction), schedule))
        await respond(
            interaction,
            _("Skipped the prompt of {day}. The next one comes {when}.").format(
                day=day_and_month(skipped.local_date), when=_stamp(info.upcoming[0].at_utc)
            ),
        )

    @PROMPTS.command(name="post-now", description="Post today's prompt now instead of later")
    @app_commands.describe(schedule=SCHEDULE_HINT)
    @facilitator_only()
    async def post_now(
        self, interaction: discord.Interaction[Any], schedule: str | None = None
    ) -> None:
        guild_id = _guild_id(interaction)
        feature = feature_of(self.bot)
        await answer_first(interaction)
        job = await kindly(feature.schedules.claim_now(guild_id, schedule))
        message_id = await feature.source.send(job)
        if message_id is not None:
            link = f"https://discord.com/channels/{guild_id}/{job.channel_id}/{message_id}"
            text = _("Posted today's prompt: {link}. Today's scheduled post stands down.").format(
                link=link
            )
        else:
            row = await repo.get_schedule(self.bot.db, guild_id, job.schedule_name)
            post = await repo.get_post(
                self.bot.db, guild_id, job.local_date.isoformat(), job.schedule_name
            )
            reason = row.paused_reason if row else None
            if reason:
                text = _("I couldn't post it. {reason}").format(
                    reason=shown_reason(reason, row.paused_until if row else None)
                )
            elif post is not None and post.status == "failed":
                # A refusal that is not about access (a 400): trying again would fail the same way.
                text = _(
                    "Discord refused this post, so nothing was posted and I won't retry it. "
                    "The next scheduled prompt goes out as usual; if this happens again, "
                    "please tell the person who hosts Mutual."
                )
            else:
                text = _("Discord is busy right now; I'll keep trying for a few minutes.")
        await interaction.followup.send(text, ephemeral=True)

    @PROMPTS.command(name="preview", description="See the next prompt (only you see it)")
    @app_commands.describe(schedule=SCHEDULE_HINT)
    @facilitator_only()
    async def preview(
        self, interaction: discord.Interaction[Any], schedule: str | None = None
    ) -> None:
        prompt = await kindly(
            feature_of(self.bot).schedules.preview(_guild_id(interaction), schedule)
        )
        embed = prompt_embed(prompt, self.bot.content, title=_("Next prompt (preview)"))
        await interaction.response.send_message(
            content=warning_line(prompt, self.bot.content),
            embed=embed,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    status.autocomplete("schedule")(schedule_choices)
    pause.autocomplete("schedule")(schedule_choices)
    resume.autocomplete("schedule")(schedule_choices)
    skip.autocomplete("schedule")(schedule_choices)
    post_now.autocomplete("schedule")(schedule_choices)
    preview.autocomplete("schedule")(schedule_choices)

    @PROMPTS.command(name="off", description="Stop daily prompts in this server (every schedule)")
    @facilitator_only()
    async def off(self, interaction: discord.Interaction[Any]) -> None:
        feature = feature_of(self.bot)
        await answer_first(interaction)
        removed = await feature.schedules.off(_guild_id(interaction))
        text = (
            _(
                "Daily prompts are off. Your own prompts and topic choices are kept; "
                "/prompts setup starts them again."
            )
            if removed
            else _("Daily prompts weren't on here.")
        )
        await respond(interaction, text)
