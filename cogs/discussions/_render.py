"""Embeds for discussions: openings, summaries, announcements, review cards and lists."""

from __future__ import annotations

from datetime import datetime, timedelta

import discord

from bot.db.discussions import DiscussionRow
from bot.services.discussions import (
    Announcement,
    ClosingSummary,
    Listing,
    Opening,
    ReviewCard,
)
from bot.services.wording import count
from cogs._common import CARE_COLOUR, behind_spoiler

DEFAULT_GROUND_RULES = (
    '• Speak from your own experience ("I"), listen without fixing, and keep what others share '
    "here. No one has to share more than they want to.\n"
    "• No advice unless someone asks for it, and no labels for anyone: describe what happened, "
    'not what a person "is".\n'
    "• No graphic detail of harm, violence or self-harm; say what it was like, not how.\n"
    "• In a crisis, this thread is not enough: contact your local emergency number or a line "
    "from /resources, and tell a facilitator if you can.\n"
    "• Anonymous questions hide your name from members and facilitators, but not what you write: "
    "leave out details that could identify you or anyone else."
)
CARE_FOOTER = "Mutual is peer support, not a crisis service. /resources lists places to turn to."


def stamp(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def when(moment: datetime) -> str:
    return f"{stamp(moment)} ({stamp(moment, 'R')})"


def humanise(span: timedelta) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' * (days != 1)}")
    if hours:
        parts.append(f"{hours} hour{'s' * (hours != 1)}")
    if minutes or not parts:
        parts.append(f"{minutes} minute{'s' * (minutes != 1)}")
    return " ".join(parts)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def opening_embed(opening: Opening) -> discord.Embed:
    plan = opening.plan
    if plan.passage:
        description = _quote(behind_spoiler(plan.passage, plan.content_warning))
        if plan.attribution:
            description += f"\n— {plan.attribution}"
        lead = plan.lead or ("An excerpt" if plan.kind == "excerpt" else "A reflection prompt")
        on = f" on **{plan.topic_label}**" if plan.topic_label else ""
        description = f"{lead}{on}:\n{description}"
        if plan.content_warning:
            description = (
                f"**Content note:** {plan.content_warning}. The text is hidden until you tap "
                f"it.\n\n{description}"
            )
    else:
        description = f"A facilitated discussion on **{plan.topic_label}**."
    embed = discord.Embed(title=plan.title, description=description[:4096], colour=CARE_COLOUR)
    if plan.questions:
        listed = "\n".join(f"{n}. {q}" for n, q in enumerate(plan.questions, start=1))
        embed.add_field(name="Questions to start with", value=listed[:1024], inline=False)
    rules = opening.ground_rules or DEFAULT_GROUND_RULES
    embed.add_field(name="Ground rules", value=rules[:1024], inline=False)
    embed.add_field(name="Closes", value=when(opening.close_at), inline=False)
    if opening.anonymous_mode != "off":
        how = "Use /ask in this thread, or the button below, to ask without your name."
        if opening.anonymous_mode == "reviewed":
            how += " A facilitator reads anonymous questions before they appear."
        embed.add_field(name="Ask anonymously", value=how, inline=False)
    embed.set_footer(text=CARE_FOOTER)
    return embed


def summary_embed(summary: ClosingSummary) -> discord.Embed:
    how = "It reached its planned end." if summary.by_timer else "A facilitator closed it."
    description = f"Thank you to everyone who took part. {how}"
    if summary.note:
        description += f"\n\n**From the facilitator:** {summary.note}"
    embed = discord.Embed(
        title=f"Discussion closed: {summary.title}"[:256],
        description=description[:4096],
        colour=CARE_COLOUR,
    )
    embed.add_field(name="Open for", value=humanise(summary.duration), inline=True)
    messages = "not available" if summary.messages is None else f"{summary.messages:,}"
    embed.add_field(name="Messages", value=messages, inline=True)
    people = "not available" if summary.people is None else f"{summary.people:,}"
    embed.add_field(name="People in the thread", value=people, inline=True)
    asked = f"{summary.questions_relayed:,} from {count(summary.askers, 'pseudonym')}"
    embed.add_field(name="Anonymous questions relayed", value=asked, inline=True)
    embed.set_footer(
        text=(
            "Counts only, no names. Messages and people are Discord's own counts for this thread "
            "(messages include the bot's posts; people are members who joined the thread, "
            "without the bot, counted up to 50). Mutual does not read what members write."
        )
    )
    return embed


def announcement_embed(announcement: Announcement) -> discord.Embed:
    embed = discord.Embed(
        title=f"Coming up: {announcement.title}"[:256],
        description=(
            f"A facilitated discussion on **{announcement.topic_label}** opens here "
            f"{when(announcement.starts_at)} and stays open for "
            f"{humanise(timedelta(minutes=announcement.duration_minutes))}. Everyone is welcome, "
            "and you can ask questions anonymously with /ask once it opens."
        ),
        colour=CARE_COLOUR,
    )
    embed.set_footer(text=CARE_FOOTER)
    return embed


def reminder_embed(announcement: Announcement) -> discord.Embed:
    return discord.Embed(
        title=f"Starting soon: {announcement.title}"[:256],
        description=f"The discussion on **{announcement.topic_label}** opens {stamp(announcement.starts_at, 'R')}.",
        colour=CARE_COLOUR,
    )


def cancelled_embed(announcement: Announcement) -> discord.Embed:
    return discord.Embed(
        title=f"Cancelled: {announcement.title}"[:256],
        description="This discussion won't take place as planned. Thank you for your interest.",
        colour=discord.Colour.light_grey(),
    )


def review_embed(card: ReviewCard) -> discord.Embed:
    embed = discord.Embed(
        title="Anonymous question waiting for review",
        description=card.text[:4096],
        colour=discord.Colour.gold(),
    )
    embed.add_field(name="From", value=card.pseudonym[:1024], inline=True)
    embed.add_field(name="Discussion", value=f"<#{card.thread_id}> {card.discussion_title}"[:1024])
    embed.set_footer(text=f"Question {card.question_id} · no one, you included, can see who asked")
    return embed


def settled_embed(outcome: str) -> discord.Embed:
    return discord.Embed(
        title="Anonymous question reviewed",
        description=outcome[:4096],
        colour=discord.Colour.light_grey(),
    )


def listing_embed(listing: Listing) -> discord.Embed:
    embed = discord.Embed(title="Discussions", colour=CARE_COLOUR)
    embed.add_field(name="Open now", value=_lines(listing.open, scheduled=False), inline=False)
    embed.add_field(name="Scheduled", value=_lines(listing.scheduled, scheduled=True), inline=False)
    return embed


def _lines(rows: list[DiscussionRow], *, scheduled: bool) -> str:
    if not rows:
        return "None." if not scheduled else "None planned."
    lines = []
    for row in rows[:15]:
        if scheduled and row.starts_at:
            lines.append(f"`#{row.id}` {row.title} in <#{row.channel_id}>, {when(row.starts_at)}")
        elif row.close_at:
            where = f"<#{row.thread_id}>" if row.thread_id else f"<#{row.channel_id}>"
            lines.append(f"`#{row.id}` {where}, closes {stamp(row.close_at, 'R')}")
    if len(rows) > 15:
        lines.append(f"… and {len(rows) - 15} more")
    return "\n".join(lines)[:1024]
