"""Embeds and texts for daily prompts: the post itself, status, previews and lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import discord

from bot.content import Content
from bot.services.prompts.manage import ScheduleInfo
from bot.services.prompts.model import CustomPrompt, PromptText
from bot.services.prompts.schedule import describe_weekdays
from bot.services.wording import count, sentence_case
from cogs._common import CARE_COLOUR, behind_spoiler

THREAD_NAME_MAX = 100
NO_MENTIONS = discord.AllowedMentions.none()


RESOURCES_FOOTER = "Support, any time: /resources"


@dataclass(frozen=True)
class ShownExcerpt:
    text: str
    attribution: str
    note: str | None = None


def warning_line(prompt: PromptText, content: Content) -> str | None:
    """Named plainly above the prompt, so members can choose before they read it."""
    note = prompt.note(content)
    return f"**Content note:** {note}. The text is hidden until you tap it." if note else None


def post_marker(day: date) -> str:
    """The footer line that tells one day's post apart in the channel's history.

    After a crash the bot looks for its own message carrying this line before posting again.
    """
    return f"Daily reflection · {day.isoformat()}"


def is_post_of(message: discord.Message, day: date) -> bool:
    marker = post_marker(day)
    return any(marker in (e.footer.text or "").splitlines() for e in message.embeds)


def prompt_embed(
    prompt: PromptText,
    content: Content,
    *,
    title: str = "Today's reflection",
    excerpt: ShownExcerpt | None = None,
    day: date | None = None,
) -> discord.Embed:
    """`day` marks the embed as that day's post; previews go without."""
    text = behind_spoiler(prompt.text, prompt.note(content))
    embed = discord.Embed(title=title, description=text[:4096], colour=CARE_COLOUR)
    if excerpt is not None:
        quoted = behind_spoiler(excerpt.text, excerpt.note)
        lead = f"*Content note: {excerpt.note}*\n" if excerpt.note else ""
        embed.add_field(
            name="Excerpt of the day",
            value=f"{lead}> {quoted}\n— {excerpt.attribution}"[:1024],
        )
    topic = content.topic_label(prompt.topic) if prompt.topic else "From this server"
    footer = (
        f"{topic} · Share only what feels right; reading along is welcome too.\n{RESOURCES_FOOTER}"
    )
    embed.set_footer(text=footer if day is None else f"{footer}\n{post_marker(day)}")
    return embed


def thread_name(day: date, prompt: PromptText, content: Content) -> str:
    """The prompt's words name the thread, unless they sit behind a content note."""
    head = f"{day:%d %b} · "
    note = prompt.note(content)
    text = f"Reflection (content note: {note})" if note else " ".join(prompt.text.split())
    room = THREAD_NAME_MAX - len(head)
    return head + (text if len(text) <= room else text[: room - 1].rstrip() + "…")


def status_embed(
    info: ScheduleInfo, content: Content, pending_suggestions: int = 0
) -> discord.Embed:
    s = info.schedule
    embed = discord.Embed(title="Daily prompts", colour=CARE_COLOUR)
    embed.add_field(name="Channel", value=f"<#{s.channel_id}>")
    embed.add_field(name="Time", value=f"{s.local_time} ({s.timezone})")
    embed.add_field(name="Days", value=sentence_case(describe_weekdays(s.weekdays)))
    extras = [
        f"Thread per prompt: {'on' if s.use_thread else 'off'}",
        f"Pin: {'on' if s.pin else 'off'}",
        f"Excerpt of the day: {'on' if s.with_excerpt else 'off'}",
    ]
    embed.add_field(name="Options", value="\n".join(extras), inline=False)
    if s.paused_reason:
        embed.add_field(name="Paused", value=s.paused_reason[:1024], inline=False)
    if info.upcoming:
        lines = []
        for run in info.upcoming:
            local = run.at_utc.astimezone(info.rule.tz)
            stamp = int(run.at_utc.timestamp())
            lines.append(f"{local:%a %d %b %H:%M} local · <t:{stamp}:F>")
        embed.add_field(name="Next posts", value="\n".join(lines), inline=False)
    else:
        embed.add_field(name="Next posts", value="None while paused.", inline=False)
    if info.last_post is not None:
        last = info.last_post
        where = (
            f"https://discord.com/channels/{s.guild_id}/{last.channel_id}/{last.message_id}"
            if last.message_id
            else last.status
        )
        embed.add_field(name="Last post", value=f"{last.local_date}: {where}", inline=False)
    if pending_suggestions:
        embed.set_footer(
            text=f"{count(pending_suggestions, 'suggestion')} waiting in /prompts review"
        )
    return embed


def custom_line(prompt: CustomPrompt, content: Content) -> str:
    topic = content.topic_label(prompt.topic) if prompt.topic else "no topic"
    origin = " · suggested by a member" if prompt.origin == "suggestion" else ""
    text = " ".join(prompt.text.split())
    short = text if len(text) <= 180 else text[:179] + "…"
    return f"**#{prompt.id}** ({topic}{origin})\n{short}"


def suggestion_embed(
    suggestion_id: int, text: str, warning: str | None, waiting: int
) -> discord.Embed:
    embed = discord.Embed(
        title=f"Suggested prompt #{suggestion_id}", description=text[:4096], colour=CARE_COLOUR
    )
    if warning:
        embed.add_field(name="Content note", value=warning[:1024], inline=False)
    embed.set_footer(text=f"{waiting} waiting · suggested anonymously by a member")
    return embed
