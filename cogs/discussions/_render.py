"""Embeds for discussions: openings, summaries, announcements, review cards and lists.

Each is written in the language of the moment: the server's around a public post (the platform
sets it), the member's in an answer. Texts from content arrive already looked up in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import discord

from bot.i18n import N_, _, ngettext
from bot.i18n.numbers import number
from bot.services.discussions import (
    Announcement,
    ClosingSummary,
    Listing,
    Opening,
    ReportCard,
    ReviewCard,
)
from bot.services.discussions.model import DiscussionRow
from bot.services.discussions.pseudonyms import shown
from cogs._common import CARE_COLOUR, behind_spoiler

DEFAULT_GROUND_RULES = N_(
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
CARE_FOOTER = N_(
    "Mutual is peer support, not a crisis service. /resources lists places to turn to."
)


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
        parts.append(ngettext("{count} day", "{count} days", days).format(count=days))
    if hours:
        parts.append(ngettext("{count} hour", "{count} hours", hours).format(count=hours))
    if minutes or not parts:
        parts.append(ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes))
    return " ".join(parts)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def opening_embed(opening: Opening) -> discord.Embed:
    plan = opening.plan
    if plan.passage:
        passage = _quote(behind_spoiler(plan.passage, plan.content_warning))
        if plan.attribution:
            passage += f"\n— {plan.attribution}"
        description = _introduced(plan.lead, plan.kind, plan.topic_label, passage)
        if plan.content_warning:
            description = _(
                "**Content note:** {note}. The text is hidden until you tap it.\n\n{description}"
            ).format(note=plan.content_warning, description=description)
    else:
        description = _("A facilitated discussion on **{topic}**.").format(topic=plan.topic_label)
    embed = discord.Embed(title=plan.title, description=description[:4096], colour=CARE_COLOUR)
    if plan.questions:
        listed = "\n".join(f"{n}. {q}" for n, q in enumerate(plan.questions, start=1))
        embed.add_field(name=_("Questions to start with"), value=listed[:1024], inline=False)
    rules = opening.ground_rules or _(DEFAULT_GROUND_RULES)
    embed.add_field(name=_("Ground rules"), value=rules[:1024], inline=False)
    embed.add_field(name=_("Closes"), value=when(opening.close_at), inline=False)
    if opening.anonymous_mode != "off":
        if opening.anonymous_mode == "reviewed":
            how = _(
                "Use /ask in this thread, or the button below, to ask without your name. A "
                "facilitator reads anonymous questions before they appear."
            )
        else:
            how = _("Use /ask in this thread, or the button below, to ask without your name.")
        embed.add_field(name=_("Ask anonymously"), value=how, inline=False)
    embed.set_footer(text=_(CARE_FOOTER))
    return embed


def _introduced(lead: str | None, kind: str, topic: str, passage: str) -> str:
    """The passage with the line that introduces it, each variant a whole sentence."""
    if lead:
        text = _("{lead} on **{topic}**:\n{passage}") if topic else _("{lead}:\n{passage}")
    elif kind == "excerpt":
        text = _("An excerpt on **{topic}**:\n{passage}") if topic else _("An excerpt:\n{passage}")
    elif topic:
        text = _("A reflection prompt on **{topic}**:\n{passage}")
    else:
        text = _("A reflection prompt:\n{passage}")
    return text.format(lead=lead, topic=topic, passage=passage)


def summary_embed(summary: ClosingSummary) -> discord.Embed:
    if summary.by_timer:
        description = _("Thank you to everyone who took part. It reached its planned end.")
    else:
        description = _("Thank you to everyone who took part. A facilitator closed it.")
    if summary.note:
        description += "\n\n" + _("**From the facilitator:** {note}").format(note=summary.note)
    embed = discord.Embed(
        title=_("Discussion closed: {title}").format(title=summary.title)[:256],
        description=description[:4096],
        colour=CARE_COLOUR,
    )
    embed.add_field(name=_("Open for"), value=humanise(summary.duration), inline=True)
    messages = _("not available") if summary.messages is None else number(summary.messages)
    embed.add_field(name=_("Messages"), value=messages, inline=True)
    people = _("not available") if summary.people is None else number(summary.people)
    embed.add_field(name=_("People in the thread"), value=people, inline=True)
    asked = ngettext(
        "{questions} from {count} pseudonym", "{questions} from {count} pseudonyms", summary.askers
    ).format(questions=number(summary.questions_relayed), count=number(summary.askers))
    embed.add_field(name=_("Anonymous questions relayed"), value=asked, inline=True)
    embed.set_footer(
        text=_(
            "Counts only, no names. Messages and people are Discord's own counts for this thread "
            "(messages include the bot's posts; people are members who joined the thread, "
            "without the bot, counted up to 50). Mutual does not read what members write."
        )
    )
    return embed


def announcement_embed(announcement: Announcement) -> discord.Embed:
    embed = discord.Embed(
        title=_("Coming up: {title}").format(title=announcement.title)[:256],
        description=_(
            "A facilitated discussion on **{topic}** opens here {when} and stays open for "
            "{duration}. Everyone is welcome, and you can ask questions anonymously with /ask "
            "once it opens."
        ).format(
            topic=announcement.topic_label,
            when=when(announcement.starts_at),
            duration=humanise(timedelta(minutes=announcement.duration_minutes)),
        ),
        colour=CARE_COLOUR,
    )
    embed.set_footer(text=_(CARE_FOOTER))
    return embed


def reminder_embed(announcement: Announcement) -> discord.Embed:
    return discord.Embed(
        title=_("Starting soon: {title}").format(title=announcement.title)[:256],
        description=_("The discussion on **{topic}** opens {when}.").format(
            topic=announcement.topic_label, when=stamp(announcement.starts_at, "R")
        ),
        colour=CARE_COLOUR,
    )


def cancelled_embed(announcement: Announcement) -> discord.Embed:
    return discord.Embed(
        title=_("Cancelled: {title}").format(title=announcement.title)[:256],
        description=_("This discussion won't take place as planned. Thank you for your interest."),
        colour=discord.Colour.light_grey(),
    )


def review_embed(card: ReviewCard) -> discord.Embed:
    embed = discord.Embed(
        title=_("Anonymous question waiting for review"),
        description=card.text[:4096],
        colour=discord.Colour.gold(),
    )
    embed.add_field(name=_("From"), value=shown(card.pseudonym)[:1024], inline=True)
    embed.add_field(
        name=_("Discussion"), value=f"<#{card.thread_id}> {card.discussion_title}"[:1024]
    )
    embed.set_footer(
        text=_("Question {id} · no one, you included, can see who asked").format(
            id=card.question_id
        )
    )
    return embed


def message_link(guild_id: int, channel_id: int, message_id: int | None) -> str:
    if message_id is None:
        return f"<#{channel_id}>"
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def report_embed(card: ReportCard) -> discord.Embed:
    """What moderators see of a report: the pseudonym and the question, never who reported."""
    embed = discord.Embed(
        title=_("A member reported an anonymous question"),
        description=card.text[:4096],
        colour=discord.Colour.orange(),
    )
    embed.add_field(name=_("From"), value=shown(card.pseudonym)[:1024], inline=True)
    embed.add_field(
        name=_("Reports"),
        value=ngettext(
            "{count} member has reported it", "{count} members have reported it", card.reports
        ).format(count=card.reports),
        inline=True,
    )
    embed.add_field(
        name=_("Where"), value=message_link(card.guild_id, card.thread_id, card.message_id)
    )
    embed.set_footer(
        text=_(
            "Question {id} · no one, you included, can see who asked or who reported. "
            "/discuss remove takes it down and blocks the pseudonym."
        ).format(id=card.question_id)
    )
    return embed


def reported_embed(cards: list[ReportCard]) -> discord.Embed:
    lines = [
        ngettext(
            "**{pseudonym}** · reported by {count} member · {where}",
            "**{pseudonym}** · reported by {count} members · {where}",
            card.reports,
        ).format(
            pseudonym=shown(card.pseudonym),
            count=card.reports,
            where=message_link(card.guild_id, card.thread_id, card.message_id),
        )
        for card in cards
    ]
    return discord.Embed(
        title=_("Reported anonymous questions"),
        description="\n".join(lines)[:4096],
        colour=discord.Colour.orange(),
    ).set_footer(
        text=_(
            "No one, you included, can see who asked or who reported. "
            "/discuss remove takes a question down."
        )
    )


def settled_embed(outcome: str) -> discord.Embed:
    return discord.Embed(
        title=_("Anonymous question reviewed"),
        description=outcome[:4096],
        colour=discord.Colour.light_grey(),
    )


def listing_embed(listing: Listing, title_of: Callable[[DiscussionRow], str]) -> discord.Embed:
    """`title_of` names each discussion in the reader's language."""
    embed = discord.Embed(title=_("Discussions"), colour=CARE_COLOUR)
    embed.add_field(
        name=_("Open now"), value=_lines(listing.open, title_of, scheduled=False), inline=False
    )
    embed.add_field(
        name=_("Scheduled"),
        value=_lines(listing.scheduled, title_of, scheduled=True),
        inline=False,
    )
    return embed


def _lines(
    rows: list[DiscussionRow], title_of: Callable[[DiscussionRow], str], *, scheduled: bool
) -> str:
    if not rows:
        return _("None.") if not scheduled else _("None planned.")
    lines = []
    for row in rows[:15]:
        if scheduled and row.starts_at:
            lines.append(
                _("`#{id}` {title} in {channel}, {when}").format(
                    id=row.id,
                    title=title_of(row),
                    channel=f"<#{row.channel_id}>",
                    when=when(row.starts_at),
                )
            )
        elif row.close_at:
            where = f"<#{row.thread_id}>" if row.thread_id else f"<#{row.channel_id}>"
            lines.append(
                _("`#{id}` {where}, closes {when}").format(
                    id=row.id, where=where, when=stamp(row.close_at, "R")
                )
            )
    if len(rows) > 15:
        more = len(rows) - 15
        lines.append(ngettext("… and {count} more", "… and {count} more", more).format(count=more))
    return "\n".join(lines)[:1024]
