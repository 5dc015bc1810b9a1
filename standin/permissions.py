"""Discord's permission arithmetic: base permissions from roles, then channel overwrites.

The stand-in refuses requests the bot could not make on a real server (403, code 50013), so the
bot's permission handling is exercised rather than assumed. The order of operations follows
Discord's documentation: @everyone, then the member's roles OR-ed together, ADMINISTRATOR and
the owner short-circuit to everything, then the @everyone overwrite, the role overwrites
(deny then allow, combined), and finally the member's own overwrite. Threads use their parent
channel's overwrites.
"""

from __future__ import annotations

from enum import IntFlag
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from standin.state import Channel, Guild


class Perm(IntFlag):
    """Permission bits used by the routes the stand-in serves."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    SEND_MESSAGES_IN_THREADS = 1 << 38
    MODERATE_MEMBERS = 1 << 40
    PIN_MESSAGES = 1 << 51


ALL = (1 << 53) - 1

EVERYONE_DEFAULT = (
    Perm.CREATE_INSTANT_INVITE
    | Perm.ADD_REACTIONS
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CHANGE_NICKNAME
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.CREATE_PRIVATE_THREADS
    | Perm.SEND_MESSAGES_IN_THREADS
)


def base_permissions(guild: Guild, user_id: int) -> int:
    """Guild-wide permissions of a member: @everyone plus every role they hold."""
    if user_id == guild.owner_id:
        return ALL
    everyone = guild.roles.get(guild.id)
    perms = everyone.permissions if everyone else 0
    member = guild.members.get(user_id)
    if member is not None:
        for role_id in member.roles:
            role = guild.roles.get(role_id)
            if role is not None:
                perms |= role.permissions
    if perms & Perm.ADMINISTRATOR:
        return ALL
    return perms


def channel_permissions(guild: Guild, channel: Channel, user_id: int) -> int:
    """A member's effective permissions in a channel (or in a thread, via its parent)."""
    perms = base_permissions(guild, user_id)
    if perms == ALL:
        return ALL
    source = channel
    if channel.is_thread and channel.parent_id is not None:
        parent = guild.channel(channel.parent_id)
        if parent is not None:
            source = parent
    overwrites = {ow.id: ow for ow in source.overwrites}
    everyone = overwrites.get(guild.id)
    if everyone is not None:
        perms = (perms & ~everyone.deny) | everyone.allow
    member = guild.members.get(user_id)
    role_ids = member.roles if member is not None else []
    allow = deny = 0
    for role_id in role_ids:
        ow = overwrites.get(role_id)
        if ow is not None and ow.type == 0:
            allow |= ow.allow
            deny |= ow.deny
    perms = (perms & ~deny) | allow
    own = overwrites.get(user_id)
    if own is not None and own.type == 1:
        perms = (perms & ~own.deny) | own.allow
    if not perms & Perm.VIEW_CHANNEL:
        return 0
    return perms


def missing(have: int, *needed: Perm) -> list[str]:
    """Names of the needed permissions that `have` lacks (empty when all are present)."""
    return [p.name or str(int(p)) for p in needed if not have & p]
