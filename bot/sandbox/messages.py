"""Turning request bodies into stored messages, and stored messages into gateway events.

Shared by channel sends, interaction responses and webhook followups, which all create and edit
messages the same way on Discord.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.responses import EMPTY_MESSAGE, DiscordError
from bot.sandbox.state import Channel, Json, Message, User, World

EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_EMBEDS = 1 << 2
SETTABLE_FLAGS = SUPPRESS_EMBEDS | EPHEMERAL | (1 << 12) | (1 << 15)


def create_message(
    world: World,
    channel: Channel,
    author: User,
    body: Json,
    *,
    allow_empty: bool = False,
    **extra: Any,
) -> Message:
    """Store a message built from a create-message body (content, embeds, components, flags)."""
    content = body.get("content") or ""
    embeds = list(body.get("embeds") or [])
    components = list(body.get("components") or [])
    has_files = bool(body.get("attachments") or body.get("sticker_ids") or body.get("poll"))
    if not (content or embeds or components or has_files or allow_empty):
        raise DiscordError(EMPTY_MESSAGE)
    flags = int(body.get("flags") or 0) & SETTABLE_FLAGS
    flags |= int(extra.pop("flags", 0))
    reference = body.get("message_reference")
    return world.add_message(
        channel,
        author,
        content=str(content),
        embeds=[_embed(e) for e in embeds],
        components=components,
        flags=flags,
        nonce=body.get("nonce"),
        message_reference=_reference(reference, channel) if reference else None,
        type=19 if reference else int(extra.pop("type", 0)),
        **extra,
    )


def edit_message(world: World, message: Message, body: Json) -> Message:
    """Apply an edit body: fields present replace, `null` clears, absent fields stay."""
    if "content" in body:
        message.content = str(body["content"] or "")
    if "embeds" in body:
        message.embeds = [_embed(e) for e in body["embeds"] or []]
    if "components" in body:
        message.components = list(body["components"] or [])
    if body.get("flags") is not None:
        keep = message.flags & ~SETTABLE_FLAGS
        message.flags = keep | (int(body["flags"]) & SETTABLE_FLAGS) | (message.flags & EPHEMERAL)
    message.flags &= ~LOADING
    message.edited_timestamp = world.clock.iso()
    return message


def _embed(embed: Json) -> Json:
    """Discord stores embeds with a type; everything else comes back as sent."""
    return {"type": "rich", **embed}


def _reference(reference: Json, channel: Channel) -> Json:
    out = {"type": 0, "channel_id": str(channel.id), **reference}
    if channel.guild_id is not None:
        out.setdefault("guild_id", str(channel.guild_id))
    out.pop("fail_if_not_exists", None)
    return out


def message_event(world: World, message: Message) -> Json:
    """A MESSAGE_CREATE / MESSAGE_UPDATE payload: the message plus the author's member data."""
    data = message.to_dict(thread=_thread_of(world, message))
    guild = world.guilds.get(message.guild_id) if message.guild_id else None
    if guild is not None:
        member = guild.members.get(message.author.id)
        if member is not None:
            partial = member.to_dict()
            partial.pop("user")
            data["member"] = partial
    return data


def render(world: World, message: Message) -> Json:
    """A message as REST answers it, with the thread started from it when there is one."""
    return message.to_dict(thread=_thread_of(world, message))


def _thread_of(world: World, message: Message) -> Channel | None:
    thread = world.channels.get(message.id)
    return thread if thread is not None and thread.is_thread else None
