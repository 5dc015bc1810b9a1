"""What Mutual needs in each channel it is set up to use, named as Discord's channel settings
name them, so the doctor and /status can say exactly what to grant."""

from __future__ import annotations

import discord

from bot.db.overview import ConfiguredChannel

# (attribute of discord.Permissions, the name Discord shows)
POSTING = [
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
]
THREADS = [
    ("create_public_threads", "Create Public Threads"),
    ("send_messages_in_threads", "Send Messages in Threads"),
]
PINNING = [("pin_messages", "Pin Messages"), ("read_message_history", "Read Message History")]
DISCUSSING = [
    ("manage_threads", "Manage Threads"),
    ("read_message_history", "Read Message History"),
]


def needed_for(configured: ConfiguredChannel) -> list[tuple[str, str]]:
    needed = list(POSTING)
    if configured.thread:
        needed += THREADS
    if configured.pin:
        needed += PINNING
    if configured.purpose == "discussions":
        needed += DISCUSSING
    return list(dict.fromkeys(needed))


def missing_in(
    channel: discord.abc.GuildChannel, me: discord.Member, configured: ConfiguredChannel
) -> list[str]:
    perms = channel.permissions_for(me)
    return [label for attr, label in needed_for(configured) if not getattr(perms, attr, True)]


def channel_problem(bot: discord.Client, configured: ConfiguredChannel) -> str | None:
    """None when the bot can do its work there; otherwise one line saying what is wrong."""
    guild = bot.get_guild(configured.guild_id)
    if guild is None:
        return "Mutual is not in this server any more"
    channel = guild.get_channel(configured.channel_id)
    if channel is None:
        return f"the {configured.purpose} channel {configured.channel_id} no longer exists"
    missing = missing_in(channel, guild.me, configured)
    if missing:
        return f"#{channel.name} ({configured.purpose}) is missing: {', '.join(missing)}"
    return None
