"""Embeds and texts for daily prompts: the post itself, status, previews and lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import discord

from bot.content import Content
from bot.i18n import N_, _, ngettext
from bot.i18n.numbers import number
from bot.services.prompts.formats import short_day, short_moment
from bot.services.prompts.manage import ScheduleInfo
from bot.services.prompts.model import CustomPrompt, PromptText
from bot.services.prompts.pauses import shown_reason
from bot.services.prompts.schedule import describe_weekdays
from bot.services.prompts.schedule_names import DEFAULT_SCHEDULE
from bot.services.wording import sentence_case
from cogs._common import CARE_COLOUR, behind_spoiler

THREAD_NAME_MAX = 100
NO_MENTIONS = discord.AllowedMentions.none()


RESOURCES_FOOTER = N_("Support, any time: /resources")

# What became of a day's post, after its date in /prompts status.
POST_STATUSES = {
    # Translators: a day's post, in /prompts status: taken on, not known to be sent yet.
    "claimed": N_("claimed"),
    # Translators: a day's post, in /prompts status.
    "sent": N_("sent"),
    # Translators: a day's post, in /prompts status: Discord refused it.
    "failed": N_("failed"),
    # Translators: a day's post, in /prompts status: skipped, as Mutual was offline too long.
    "missed": N_("missed"),
}


@dataclass(frozen=True)
class ShownExcerpt:
    text: str
    attribution: str
    note: str | None = None


def warning_line(prompt: PromptText, content: Content) -> str | None:
    """Named plainly above the prompt, so members can choose before they read it."""
    note = prompt.note(content)
    if not note:
        return None
    return _("**Content note:** {note}. The text is hidden until you tap it.").format(note=note)


def post_marker(day: date, schedule: str = DEFAULT_SCHEDULE) -> str:
    """The footer line that tells one schedule's post of one day apart in the channel's history.

    After a crash the bot looks for its own message carrying this line before posting again.
    It is never translated: a post made in any language, before or after a change of the
    server's language, must still be found. A schedule other than the first named one carries
    its name, so two schedules posting in one channel never take each other's post for their
    own; the first keeps the line it always had, so posts from before names are still found.
    """
    if schedule == DEFAULT_SCHEDULE:
        return f"Daily reflection · {day.isoformat()}"
    return f"Daily reflection · {schedule} · {day.isoformat()}"


def is_post_of(message: discord.Message, day: date, schedule: str = DEFAULT_SCHEDULE) -> bool:
    marker = post_marker(day, schedule)
    return any(marker in (e.footer.text or "").splitlines() for e in message.embeds)


def prompt_embed(
    prompt: PromptText,
    content: Content,
    *,
    title: str | None = None,
    excerpt: ShownExcerpt | None = None,
    day: date | None = None,
    schedule: str = DEFAULT_SCHEDULE,
) -> discord.Embed:
    """`day` marks the embed as that day's post; previews go without. The words are those of
    `content`'s language, the current one (a server's own prompts as written)."""
    text = behind_spoiler(prompt.words(content), prompt.note(content))
    embed = discord.Embed(
        title=title or _("Today's reflection"), description=text[:4096], colour=CARE_COLOUR
    )
    if excerpt is not None:
        quoted = behind_spoiler(excerpt.text, excerpt.note)
        lead = _("*Content note: {note}*").format(note=excerpt.note) + "\n" if excerpt.note else ""
        embed.add_field(
            name=_("Excerpt of the day"),
            value=f"{lead}> {quoted}\n— {excerpt.attribution}"[:1024],
        )
    topic = content.topic_label(prompt.topic) if prompt.topic else _("From this server")
    footer = _("{topic} · Share only what feels right; reading along is welcome too.").format(
        topic=topic
    )
    footer = f"{footer}\n{_(RESOURCES_FOOTER)}"
    marked = footer if day is None else f"{footer}\n{post_marker(day, schedule)}"
    embed.set_footer(text=marked)
    return embed


def thread_name(day: date, prompt: PromptText, content: Content) -> str:
    """The prompt's words name the thread, unless they sit behind a content note."""
    head = f"{short_day(day)} · "
    note = prompt.note(content)
    text = (
        _("Reflection (content note: {note})").format(note=note)
        if note
        else " ".join(prompt.words(content).split())
    )
    room = THREAD_NAME_MAX - len(head)
    return head + (text if len(text) <= room else text[: room - 1].rstrip() + "…")


def status_embed(
    info: ScheduleInfo, content: Content, pending_suggestions: int = 0
) -> discord.Embed:
    s = info.schedule
    title = (
        _("Daily prompts")
        if s.name == DEFAULT_SCHEDULE
        else _("Daily prompts: {name}").format(name=s.name)
    )
    embed = discord.Embed(title=title, colour=CARE_COLOUR)
    embed.add_field(name=_("Channel"), value=f"<#{s.channel_id}>")
    embed.add_field(name=_("Time"), value=f"{s.local_time} ({s.timezone})")
    embed.add_field(name=_("Days"), value=sentence_case(describe_weekdays(s.weekdays)))
    extras = [
        _("Thread per prompt: on") if s.use_thread else _("Thread per prompt: off"),
        _("Pin: on") if s.pin else _("Pin: off"),
        _("Excerpt of the day: on") if s.with_excerpt else _("Excerpt of the day: off"),
    ]
    embed.add_field(name=_("Options"), value="\n".join(extras), inline=False)
    if s.topics:
        chosen = ", ".join(content.topic_label(t) for t in s.topics.split("\n") if t)
        embed.add_field(name=_("Topics"), value=chosen[:1024], inline=False)
    if s.paused_reason:
        reason = shown_reason(s.paused_reason, s.paused_until)
        embed.add_field(name=_("Paused"), value=reason[:1024], inline=False)
    if info.upcoming:
        lines = []
        for run in info.upcoming:
            local = run.at_utc.astimezone(info.rule.tz)
            stamp = f"<t:{int(run.at_utc.timestamp())}:F>"
            lines.append(_("{when} local · {stamp}").format(when=short_moment(local), stamp=stamp))
        embed.add_field(name=_("Next posts"), value="\n".join(lines), inline=False)
    else:
        embed.add_field(name=_("Next posts"), value=_("None while paused."), inline=False)
    if info.last_post is not None:
        last = info.last_post
        if last.message_id:
            where = f"https://discord.com/channels/{s.guild_id}/{last.channel_id}/{last.message_id}"
        else:
            known = POST_STATUSES.get(last.status)
            where = _(known) if known else last.status
        embed.add_field(name=_("Last post"), value=f"{last.local_date}: {where}", inline=False)
    if pending_suggestions:
        embed.set_footer(
            text=ngettext(
                "{count} suggestion waiting in /prompts review",
                "{count} suggestions waiting in /prompts review",
                pending_suggestions,
            ).format(count=number(pending_suggestions))
        )
    return embed


def schedules_embed(infos: Sequence[ScheduleInfo]) -> discord.Embed:
    """One line a schedule: name, channel, time and days, and whether it is paused."""
    embed = discord.Embed(title=_("Prompt schedules"), colour=CARE_COLOUR)
    lines = []
    for info in infos:
        s = info.schedule
        line = _("**{name}**: {channel} at {time} ({timezone}), {days}").format(
            name=s.name,
            channel=f"<#{s.channel_id}>",
            time=s.local_time,
            timezone=s.timezone,
            days=describe_weekdays(s.weekdays),
        )
        if s.paused_reason:
            line += " · " + _("paused")
        elif info.upcoming:
            line += " · " + _("next {stamp}").format(
                stamp=f"<t:{int(info.upcoming[0].at_utc.timestamp())}:R>"
            )
        lines.append(line)
    embed.description = "\n".join(lines)
    embed.set_footer(
        text=_(
            "Name one with the schedule option of /prompts setup, status, pause, resume, "
            "post-now or remove-schedule."
        )
    )
    return embed


def custom_line(prompt: CustomPrompt, content: Content) -> str:
    topic = content.topic_label(prompt.topic) if prompt.topic else _("no topic")
    text = " ".join(prompt.text.split())
    short = text if len(text) <= 180 else text[:179] + "…"
    if prompt.origin == "suggestion":
        line = _("**#{number}** ({topic} · suggested by a member)")
    else:
        line = _("**#{number}** ({topic})")
    return line.format(number=prompt.id, topic=topic) + f"\n{short}"


def suggestion_embed(
    suggestion_id: int, text: str, warning: str | None, waiting: int
) -> discord.Embed:
    embed = discord.Embed(
        title=_("Suggested prompt #{number}").format(number=suggestion_id),
        description=text[:4096],
        colour=CARE_COLOUR,
    )
    if warning:
        embed.add_field(name=_("Content note"), value=warning[:1024], inline=False)
    embed.set_footer(
        text=ngettext(
            "{count} waiting · suggested anonymously by a member",
            "{count} waiting · suggested anonymously by a member",
            waiting,
        ).format(count=number(waiting))
    )
    return embed
