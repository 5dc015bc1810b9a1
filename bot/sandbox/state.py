"""What the stand-in's Discord holds: users, guilds, roles, members, channels, messages, commands.

Everything is kept as small dataclasses with a `to_dict` that renders the exact JSON Discord
sends, because discord.py parses these payloads strictly and a malformed one kills the client.
Ids come from a snowflake generator so they sort by creation time like real ones.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from bot.sandbox.clock import Clock, iso_timestamp
from bot.sandbox.permissions import EVERYONE_DEFAULT

DISCORD_EPOCH_MS = 1_420_070_400_000

Json = dict[str, Any]


class Snowflakes:
    """Unique, time-ordered 64-bit ids in Discord's layout (ms since 2015 << 22 | counter)."""

    def __init__(self) -> None:
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        candidate = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
        self._last = max(candidate, self._last + 1)
        return self._last


class ChannelType(IntEnum):
    TEXT = 0
    DM = 1
    CATEGORY = 4
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    FORUM = 15


@dataclass
class User:
    id: int
    username: str
    bot: bool = False

    def to_dict(self) -> Json:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": None if self.bot else self.username.capitalize(),
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False

    def to_dict(self) -> Json:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class Member:
    user: User
    roles: list[int]
    joined_at: str

    def to_dict(self) -> Json:
        return {
            "user": self.user.to_dict(),
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.roles],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }


@dataclass
class Overwrite:
    """A channel permission overwrite; type 0 targets a role, type 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def to_dict(self) -> Json:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class Channel:
    id: int
    type: ChannelType
    name: str
    guild_id: int | None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    rate_limit_per_user: int = 0
    last_message_id: int | None = None
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    archive_timestamp: str = ""
    message_count: int = 0
    recipients: list[User] = field(default_factory=list)
    deleted: bool = False

    @property
    def is_thread(self) -> bool:
        return self.type in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD)

    def to_dict(self) -> Json:
        last = str(self.last_message_id) if self.last_message_id else None
        if self.type == ChannelType.DM:
            return {
                "id": str(self.id),
                "type": int(self.type),
                "last_message_id": last,
                "recipients": [u.to_dict() for u in self.recipients],
                "flags": 0,
            }
        data: Json = {
            "id": str(self.id),
            "type": int(self.type),
            "guild_id": str(self.guild_id),
            "name": self.name,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "rate_limit_per_user": self.rate_limit_per_user,
            "flags": 0,
        }
        if self.is_thread:
            data.update(
                owner_id=str(self.owner_id),
                last_message_id=last,
                message_count=self.message_count,
                total_message_sent=self.message_count,
                member_count=1,
                applied_tags=[],
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": self.archive_timestamp,
                    "locked": self.locked,
                    "create_timestamp": self.archive_timestamp,
                },
            )
            return data
        data.update(
            position=self.position,
            permission_overwrites=[o.to_dict() for o in self.overwrites],
            topic=self.topic,
            nsfw=False,
        )
        if self.type == ChannelType.TEXT:
            data["last_message_id"] = last
        if self.type == ChannelType.FORUM:
            data.update(
                available_tags=[],
                default_reaction_emoji=None,
                default_thread_rate_limit_per_user=0,
                default_sort_order=None,
                default_forum_layout=0,
                default_auto_archive_duration=1440,
            )
        return data


@dataclass
class Message:
    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[Json] = field(default_factory=list)
    components: list[Json] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    pinned: bool = False
    timestamp: str = ""
    edited_timestamp: str | None = None
    type: int = 0
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: Json | None = None
    message_reference: Json | None = None
    created_at: float = 0.0
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    def to_dict(self, thread: Channel | None = None) -> Json:
        data: Json = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.to_dict(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": self.pinned,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        if thread is not None:
            data["thread"] = thread.to_dict()
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)

    def channel(self, channel_id: int) -> Channel | None:
        return self.channels.get(channel_id)

    def to_dict(self) -> Json:
        live = [c for c in self.channels.values() if not c.deleted]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "features": [],
            "roles": [r.to_dict() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "soundboard_sounds": [],
            "member_count": len(self.members),
            "large": False,
            "unavailable": False,
            "joined_at": iso_timestamp(time.time()),
            "members": [m.to_dict() for m in self.members.values()],
            "channels": [c.to_dict() for c in live if not c.is_thread],
            "threads": [c.to_dict() for c in live if c.is_thread and not c.archived],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_progress_bar_enabled": False,
        }


class World:
    """The whole fake Discord: one bot application and the guilds, users and messages it sees."""

    def __init__(self, clock: Clock | None = None, bot_name: str = "Mutual") -> None:
        self.clock = clock or Clock()
        self.ids = Snowflakes()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.global_commands: list[Json] = []
        self.guild_commands: dict[int, list[Json]] = {}
        self.bot = self.add_user(bot_name, bot=True)
        self.application_id = self.bot.id

    # -- building -------------------------------------------------------------------------------

    def add_user(self, username: str, *, bot: bool = False) -> User:
        user = User(self.ids.next(), username, bot)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, owner: User) -> Guild:
        guild = Guild(self.ids.next(), name, owner.id)
        guild.roles[guild.id] = Role(guild.id, "@everyone", int(EVERYONE_DEFAULT))
        self.guilds[guild.id] = guild
        self.add_member(guild, owner)
        return guild

    def add_role(self, guild: Guild, name: str, permissions: int, *, managed: bool = False) -> Role:
        role = Role(self.ids.next(), name, int(permissions), len(guild.roles), managed)
        guild.roles[role.id] = role
        return role

    def add_member(self, guild: Guild, user: User, roles: list[Role] | None = None) -> Member:
        member = Member(user, [r.id for r in roles or []], self.clock.iso())
        guild.members[user.id] = member
        return member

    def add_channel(
        self,
        guild: Guild | None,
        name: str,
        type: ChannelType = ChannelType.TEXT,
        *,
        parent: Channel | None = None,
        owner: User | None = None,
        overwrites: list[Overwrite] | None = None,
        channel_id: int | None = None,
    ) -> Channel:
        channel = Channel(
            id=channel_id or self.ids.next(),
            type=type,
            name=name,
            guild_id=guild.id if guild else None,
            position=len(guild.channels) if guild else 0,
            parent_id=parent.id if parent else None,
            overwrites=overwrites or [],
            owner_id=owner.id if owner else None,
            archive_timestamp=self.clock.iso(),
        )
        self.channels[channel.id] = channel
        if guild is not None:
            guild.channels[channel.id] = channel
        return channel

    def dm_channel(self, user: User) -> Channel:
        """The DM channel between the bot and `user`, created on first use like Discord does."""
        for channel in self.channels.values():
            if channel.type == ChannelType.DM and channel.recipients[0].id == user.id:
                return channel
        channel = self.add_channel(None, user.username, ChannelType.DM)
        channel.recipients = [user]
        return channel

    def add_message(
        self, channel: Channel, author: User, *, message_id: int | None = None, **fields: Any
    ) -> Message:
        now = self.clock.now()
        message = Message(
            id=message_id or self.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=author,
            timestamp=iso_timestamp(now),
            created_at=now,
            **fields,
        )
        self.messages[message.id] = message
        channel.last_message_id = message.id
        channel.message_count += 1
        return message

    # -- lookups --------------------------------------------------------------------------------

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def user_named(self, name: str) -> User:
        for user in self.users.values():
            if user.username == name:
                return user
        raise KeyError(f"no user named {name!r}")

    def channel_named(self, name: str) -> Channel:
        """A live guild channel or thread by name (a leading '#' is ignored)."""
        name = name.lstrip("#")
        for channel in reversed(list(self.channels.values())):
            if channel.name == name and channel.type != ChannelType.DM and not channel.deleted:
                return channel
        raise KeyError(f"no channel named {name!r}")

    def role_named(self, guild: Guild, name: str) -> Role:
        for role in guild.roles.values():
            if role.name == name.lstrip("@"):
                return role
        raise KeyError(f"no role named {name!r}")

    def messages_in(self, channel: Channel) -> list[Message]:
        return [m for m in self.messages.values() if m.channel_id == channel.id and not m.deleted]

    def threads_of(self, channel: Channel) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_thread and c.parent_id == channel.id]

    def commands_for(self, guild_id: int | None) -> list[Json]:
        """Every command a member could invoke there: global ones plus the guild's own."""
        if guild_id is None:
            return list(self.global_commands)
        return self.guild_commands.get(guild_id, []) + self.global_commands
