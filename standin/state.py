"""What the stand-in's Discord holds: guilds with their roles, members and channels, messages,
synced commands, and the ids for all of them.

Ids come from a snowflake generator so they sort by creation time like real ones. The objects
themselves live in `models`; they are re-exported here so callers need one import.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from standin.clock import Clock, iso_timestamp
from standin.models import (
    Channel,
    ChannelType,
    Json,
    Member,
    Message,
    Overwrite,
    Role,
    User,
)
from standin.permissions import EVERYONE_DEFAULT

__all__ = [
    "Channel",
    "ChannelType",
    "Guild",
    "Json",
    "Member",
    "Message",
    "Overwrite",
    "Role",
    "Snowflakes",
    "Upload",
    "User",
    "World",
]

DISCORD_EPOCH_MS = 1_420_070_400_000


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


@dataclass(frozen=True)
class Upload:
    """A file a person attaches to a slash command's ATTACHMENT option, served at its URL."""

    filename: str
    data: bytes
    content_type: str = "text/plain; charset=utf-8"


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    preferred_locale: str = "en-US"

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
            "preferred_locale": self.preferred_locale,
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
            "joined_at": iso_timestamp(dt.datetime.now(dt.UTC)),
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
        # (author id, nonce) -> message id: Discord remembers nonces across a bot's restarts.
        self.nonces: dict[tuple[int, str], int] = {}
        self.global_commands: list[Json] = []
        self.guild_commands: dict[int, list[Json]] = {}
        # Files attached to interactions, by attachment id, and where the stand-in serves them
        # (set when it starts listening).
        self.uploads: dict[int, Upload] = {}
        self.attachment_base = ""
        self.bot = self.add_user(bot_name, bot=True)
        self.application_id = self.bot.id

    # -- building -------------------------------------------------------------------------------

    def add_user(self, username: str, *, bot: bool = False) -> User:
        user = User(self.ids.next(), username, bot)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, owner: User, *, guild_id: int | None = None) -> Guild:
        """`guild_id` places a server made earlier (its id's time decides its shard)."""
        guild = Guild(guild_id or self.ids.next(), name, owner.id)
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
        """A live guild channel by name (a leading '#' is ignored), else the newest such thread."""
        name = name.lstrip("#")
        found = [
            c
            for c in self.channels.values()
            if c.name == name and c.type != ChannelType.DM and not c.deleted
        ]
        found.sort(key=lambda c: (not c.is_thread, c.id))
        if not found:
            raise KeyError(f"no channel named {name!r}")
        return found[-1]

    def role_named(self, guild: Guild, name: str) -> Role:
        for role in guild.roles.values():
            if role.name in (name, name.lstrip("@")):
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
