"""Turning request bodies into stored messages, and stored messages into gateway events.

Shared by channel sends, interaction responses and webhook followups, which all create and edit
messages the same way on Discord.
"""

from __future__ import annotations

import re
from typing import Any

from standin.responses import EMPTY_MESSAGE, DiscordError
from standin.state import Channel, Json, Message, User, World

EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_EMBEDS = 1 << 2
SETTABLE_FLAGS = SUPPRESS_EMBEDS | EPHEMERAL | (1 << 12) | (1 << 15)
USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


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
    message = world.add_message(
        channel,
        author,
        content=str(content),
        embeds=[_embed(e) for e in embeds],
        components=components,
        flags=flags,
        nonce=body.get("nonce"),
        message_reference=_reference(reference, channel) if reference else None,
        type=19 if reference else int(extra.pop("type", 0)),
        attachments=[dict(a) for a in body.get("attachments") or [] if isinstance(a, dict)],
        **extra,
    )
    apply_mentions(world, message, body.get("allowed_mentions"))
    return message


def edit_message(world: World, message: Message, body: Json) -> Message:
    """Apply an edit body: fields present replace, `null` clears, absent fields stay."""
    if "content" in body:
        message.content = str(body["content"] or "")
        apply_mentions(world, message, body.get("allowed_mentions"))
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


def apply_mentions(world: World, message: Message, allowed: Json | None) -> None:
    """Who the message pings, decided like Discord from the content and `allowed_mentions`.

    Absent `allowed_mentions` means everything mentioned pings; a bot that relays member text
    must send an empty `parse` for `message.mentions` to stay empty.
    """
    parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
    users_ok = {int(u) for u in (allowed or {}).get("users") or []}
    roles_ok = {int(r) for r in (allowed or {}).get("roles") or []}
    user_ids = [int(u) for u in USER_MENTION.findall(message.content)]
    if message.message_reference and (allowed or {}).get("replied_user", True):
        replied = world.messages.get(int(message.message_reference.get("message_id") or 0))
        if replied is not None:
            user_ids.append(replied.author.id)
            users_ok.add(replied.author.id)
    message.mentions = [
        world.users[u].to_dict()
        for u in dict.fromkeys(user_ids)
        if u in world.users and ("users" in parse or u in users_ok)
    ]
    message.mention_roles = [
        r
        for r in dict.fromkeys(ROLE_MENTION.findall(message.content))
        if "roles" in parse or int(r) in roles_ok
    ]
    pings_all = "@everyone" in message.content or "@here" in message.content
    message.mention_everyone = "everyone" in parse and pings_all


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
