"""/discuss (facilitators; `list` for everyone) and /ask."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import facilitator_only
from bot.errors import UserFacingError, answer_first, respond
from bot.i18n import N_, _, ngettext
from bot.services.discussions import ReviewCard, choose_source
from bot.services.discussions.model import DiscussionRow
from bot.services.discussions.pseudonyms import short_name
from bot.services.discussions.questions import QuestionRow
from bot.services.discussions.sources import (
    excerpt_choices,
    posted_choice,
    prompt_choices,
    topic_choices,
)
from bot.services.exclusions import Exclusions, exclusions_for
from bot.services.timezones import autocomplete_timezones
from cogs.discussions import _render
from cogs.discussions._components import DiscussionServices, open_ask_modal, review_view
from cogs.discussions._render import stamp, when

log = logging.getLogger(__name__)

CHOOSE_CHANNEL = N_("Please choose a text or forum channel for the discussion.")

Channel = discord.TextChannel | discord.ForumChannel


class ChannelTransformer(app_commands.Transformer):
    """A text or forum channel. Declared by hand so the option offers exactly those two kinds
    (the union would also list media channels, where a discussion does not fit)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.forum]

    async def transform(self, interaction: discord.Interaction, value: Any) -> Channel:
        channel = interaction.guild.get_channel(value.id) if interaction.guild else None
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            raise UserFacingError(_(CHOOSE_CHANNEL))
        return channel


DiscussionChannel = app_commands.Transform[Channel, ChannelTransformer]
Choice = app_commands.Choice
DURATION = app_commands.Range[int, 10, 10080]
SLOWMODE = app_commands.Range[int, 0, 21600]


def target_channel(interaction: discord.Interaction[Any], given: Channel | None) -> int:
    """The chosen channel, else where the command was typed (a thread counts as its parent)."""
    if given is not None:
        return given.id
    channel = interaction.channel
    if isinstance(channel, discord.Thread) and channel.parent_id:
        return channel.parent_id
    if isinstance(channel, discord.TextChannel | discord.ForumChannel):
        return channel.id
    raise UserFacingError(_(CHOOSE_CHANNEL))


def guild_of(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(_("This works inside a server, not in direct messages."))
    return interaction.guild_id


def thread_here(interaction: discord.Interaction[Any]) -> int | None:
    return interaction.channel_id if isinstance(interaction.channel, discord.Thread) else None


class Discuss(commands.Cog):
    def __init__(self, bot: commands.AutoShardedBot, services: DiscussionServices) -> None:
        self.bot = bot
        self.services = services

    # Every /discuss command is a facilitator's; members ask with /ask. Hidden from members by
    # default, shown to a facilitator role by a server admin (README), checked in code always.
    group = app_commands.Group(
        name="discuss",
        description="Facilitated discussions",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    # -- autocomplete --------------------------------------------------------------------------

    async def _exclusions(self, interaction: discord.Interaction) -> Exclusions:
        """What the server leaves out; suggestions skip it (a typed id still works)."""
        return await exclusions_for(self.services.discussions.db, interaction.guild_id)

    async def topic_auto(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        content = self.services.discussions.content
        left_out = await self._exclusions(interaction)
        return [Choice(name=n, value=v) for n, v in topic_choices(content, current, 25, left_out)]

    async def excerpt_auto(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        content = self.services.discussions.content
        left_out = await self._exclusions(interaction)
        return [Choice(name=n, value=v) for n, v in excerpt_choices(content, current, 25, left_out)]

    async def prompt_auto(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        content = self.services.discussions.content
        left_out = await self._exclusions(interaction)
        return [Choice(name=n, value=v) for n, v in prompt_choices(content, current, 25, left_out)]

    async def start_prompt_auto(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        """Like `prompt_auto`, led by the prompt this server posted today (or last)."""
        first = None
        if interaction.guild_id is not None:
            try:
                posted = await self.services.discussions.latest_prompt(interaction.guild_id)
            except Exception:
                log.exception(
                    "Could not look up the posted prompt of guild %s", interaction.guild_id
                )
                posted = None
            first = posted_choice(posted, current)
        content = self.services.discussions.content
        found = [first] if first else []
        left_out = await self._exclusions(interaction)
        found += prompt_choices(content, current, 25 - len(found), left_out)
        return [Choice(name=n, value=v) for n, v in found]

    async def timezone_auto(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return [Choice(name=name, value=name) for name in autocomplete_timezones(current)]

    async def _discussion_choices(
        self, interaction: discord.Interaction, current: str, state: str
    ) -> list[Choice[int]]:
        if interaction.guild_id is None:
            return []
        discussions = self.services.discussions
        listing = await discussions.listing(interaction.guild_id)
        rows = listing.open if state == "open" else listing.scheduled
        needle = current.casefold()
        named = [(row.id, f"#{row.id} {discussions.title_of(row)}") for row in rows]
        return [
            Choice(name=name[:100], value=row_id)
            for row_id, name in named
            if needle in name.casefold()
        ][:25]

    async def open_auto(self, interaction: discord.Interaction, current: str) -> list[Choice[int]]:
        return await self._discussion_choices(interaction, current, "open")

    async def scheduled_auto(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[int]]:
        return await self._discussion_choices(interaction, current, "scheduled")

    async def relayed_auto(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[int]]:
        if interaction.guild_id is None:
            return []
        needle = current.casefold()
        rows = await self.services.questions.relayed(interaction.guild_id)
        return [
            Choice(
                name=_("{name} (question {id})").format(name=short_name(q.pseudonym), id=q.id)[
                    :100
                ],
                value=q.id,
            )
            for q in rows
            if needle in q.pseudonym.casefold() or needle in str(q.id)
        ][:25]

    # -- commands ------------------------------------------------------------------------------

    @group.command(name="start", description="Open a discussion thread now")
    @app_commands.describe(
        topic="A topic to discuss",
        excerpt="An article excerpt to discuss",
        prompt="A reflection prompt to discuss; the first suggestion is today's posted prompt",
        channel="Where to open it (a text channel or a forum); default: here",
        duration="Minutes until it closes by itself (10 to 10080)",
        slowmode="Seconds members wait between messages (0 for none)",
    )
    @app_commands.autocomplete(topic=topic_auto, excerpt=excerpt_auto, prompt=start_prompt_auto)
    @facilitator_only()
    async def start(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        excerpt: str | None = None,
        prompt: str | None = None,
        channel: DiscussionChannel | None = None,
        duration: DURATION = 60,
        slowmode: SLOWMODE = 0,
    ) -> None:
        kind, source_id = choose_source(topic, excerpt, prompt)
        guild_id, channel_id = guild_of(interaction), target_channel(interaction, channel)
        await interaction.response.defer(ephemeral=True, thinking=True)
        started = await self.services.discussions.start(
            guild_id,
            channel_id,
            kind,
            source_id,
            duration_minutes=duration,
            slowmode_seconds=slowmode,
        )
        await interaction.followup.send(
            _("The discussion is open in {thread} and closes {when}.").format(
                thread=f"<#{started.thread_id}>", when=when(started.close_at)
            ),
            ephemeral=True,
        )

    @group.command(name="close", description="Close a discussion now and post its summary")
    @app_commands.describe(
        note="A short closing note from you (optional)",
        discussion="Which discussion; default: the one in this thread",
    )
    @app_commands.autocomplete(discussion=open_auto)
    @facilitator_only()
    async def close(
        self,
        interaction: discord.Interaction,
        note: str | None = None,
        discussion: int | None = None,
    ) -> None:
        guild_id = guild_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        summary = await self.services.discussions.close(
            guild_id, thread_id=thread_here(interaction), discussion_id=discussion, note=note
        )
        await interaction.followup.send(
            _("Closed “{title}”: the summary is posted and the thread is locked.").format(
                title=summary.title
            ),
            ephemeral=True,
        )

    @group.command(name="schedule", description="Announce a discussion and open it on time")
    @app_commands.describe(
        when="Date and time, as YYYY-MM-DD HH:MM",
        timezone="The timezone of that time, e.g. Europe/Berlin",
        topic="A topic to discuss",
        excerpt="An article excerpt to discuss",
        prompt="A reflection prompt to discuss",
        channel="Where to open it (a text channel or a forum); default: here",
        duration="Minutes it stays open (10 to 10080)",
        slowmode="Seconds members wait between messages (0 for none)",
        remind="Minutes before the start to post a reminder (0 for none)",
    )
    @app_commands.autocomplete(
        timezone=timezone_auto, topic=topic_auto, excerpt=excerpt_auto, prompt=prompt_auto
    )
    @facilitator_only()
    async def schedule(
        self,
        interaction: discord.Interaction,
        when: str,
        timezone: str = "UTC",
        topic: str | None = None,
        excerpt: str | None = None,
        prompt: str | None = None,
        channel: DiscussionChannel | None = None,
        duration: DURATION = 60,
        slowmode: SLOWMODE = 0,
        remind: app_commands.Range[int, 0, 1440] = 60,
    ) -> None:
        kind, source_id = choose_source(topic, excerpt, prompt)
        guild_id, channel_id = guild_of(interaction), target_channel(interaction, channel)
        await interaction.response.defer(ephemeral=True, thinking=True)
        planned = await self.services.discussions.schedule(
            guild_id,
            channel_id,
            kind,
            source_id,
            when=when,
            timezone=timezone,
            duration_minutes=duration,
            slowmode_seconds=slowmode,
            remind_minutes=remind,
        )
        said = [
            _("Scheduled “{title}” (#{id}) for {when}.").format(
                title=planned.title, id=planned.discussion_id, when=_render.when(planned.starts_at)
            )
        ]
        if planned.announced:
            said.append(_("It's announced in the channel."))
        else:
            said.append(_("A forum has no place for an announcement, so none was posted."))
        if planned.remind_at:
            said.append(_("A reminder goes out {when}.").format(when=stamp(planned.remind_at, "R")))
        await interaction.followup.send(" ".join(said), ephemeral=True)

    @group.command(name="cancel", description="Cancel a scheduled discussion")
    @app_commands.describe(discussion="The scheduled discussion")
    @app_commands.autocomplete(discussion=scheduled_auto)
    @facilitator_only()
    async def cancel(self, interaction: discord.Interaction, discussion: int) -> None:
        guild_id = guild_of(interaction)
        await answer_first(interaction)
        row = await self.services.discussions.cancel(guild_id, discussion)
        await respond(
            interaction,
            _("Cancelled “{title}”. The announcement now says so.").format(
                title=self.services.discussions.title_of(row)
            ),
        )

    @group.command(name="list", description="Open and scheduled discussions")
    async def list_(self, interaction: discord.Interaction) -> None:
        discussions = self.services.discussions
        listing = await discussions.listing(guild_of(interaction))
        await interaction.response.send_message(
            embed=_render.listing_embed(listing, discussions.title_of), ephemeral=True
        )

    @group.command(name="queue", description="Anonymous questions waiting for review")
    @facilitator_only()
    async def queue(self, interaction: discord.Interaction) -> None:
        pending = await self.services.questions.pending(guild_of(interaction))
        reported = await self.services.questions.reported(guild_of(interaction))
        if reported:
            await interaction.response.send_message(
                embed=_render.reported_embed(reported),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        if not pending:
            await respond(interaction, _("No anonymous questions are waiting for review."))
            return
        await respond(
            interaction,
            ngettext(
                "{count} question waiting. It appears below with its buttons.",
                "{count} questions waiting. Each appears below with its buttons.",
                len(pending),
            ).format(count=len(pending)),
        )
        for question, row in pending[:10]:
            card = _card(question, row, self.services.discussions.title_of(row))
            await interaction.followup.send(
                embed=_render.review_embed(card),
                view=review_view(question.id),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )

    @group.command(
        name="remove", description="Remove an anonymous question and block its pseudonym"
    )
    @app_commands.describe(question="The relayed question (by pseudonym)")
    @app_commands.autocomplete(question=relayed_auto)
    @facilitator_only()
    async def remove(self, interaction: discord.Interaction, question: int) -> None:
        guild_id = guild_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        decided = await self.services.questions.remove_and_block(guild_id, question)
        await interaction.followup.send(decided.outcome, ephemeral=True)

    @app_commands.command(name="ask", description="Ask a question in a discussion, anonymously")
    @app_commands.describe(discussion="Which discussion; default: the one in this thread")
    @app_commands.autocomplete(discussion=open_auto)
    @app_commands.guild_only()
    async def ask(self, interaction: discord.Interaction, discussion: int | None = None) -> None:
        await open_ask_modal(interaction, discussion)


def _card(question: QuestionRow, row: DiscussionRow, title: str) -> ReviewCard:
    return ReviewCard(
        question.id,
        question.guild_id,
        title,
        row.thread_id or 0,
        question.pseudonym,
        question.text or "",
    )
