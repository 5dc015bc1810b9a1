"""The demo server every sandbox starts with: a small peer-support community.

Guild "Mutual Demo" with #general, #reflections, #mod-log and the forum #discussions; roles
@everyone, Moderator and Facilitator; members: the bot, "mod" (the owner, a Moderator), "alice"
and "bob". The bot holds a managed role with the permissions it asks for when invited, so a
test can take one away with a channel overwrite and watch the bot cope.
"""

from __future__ import annotations

from standin.permissions import Perm
from standin.state import Channel, ChannelType, Guild, Overwrite, World

GUILD_NAME = "Mutual Demo"

BOT_PERMISSIONS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.MANAGE_THREADS
    | Perm.PIN_MESSAGES
    | Perm.USE_APPLICATION_COMMANDS
)

MODERATOR_PERMISSIONS = (
    Perm.MANAGE_GUILD
    | Perm.MANAGE_CHANNELS
    | Perm.MANAGE_MESSAGES
    | Perm.MANAGE_THREADS
    | Perm.MODERATE_MEMBERS
    | Perm.KICK_MEMBERS
    | Perm.VIEW_AUDIT_LOG
    | Perm.PIN_MESSAGES
)


def build_demo(world: World | None = None) -> World:
    """A `World` holding the demo guild (a fresh one unless `world` is given)."""
    world = world or World()
    mod = world.add_user("mod")
    alice = world.add_user("alice")
    bob = world.add_user("bob")
    guild: Guild = world.add_guild(GUILD_NAME, owner=mod)
    moderator = world.add_role(guild, "Moderator", MODERATOR_PERMISSIONS)
    world.add_role(guild, "Facilitator", Perm.MANAGE_THREADS)
    bot_role = world.add_role(guild, world.bot.username, BOT_PERMISSIONS, managed=True)
    guild.members[mod.id].roles.append(moderator.id)
    world.add_member(guild, world.bot, [bot_role])
    world.add_member(guild, alice)
    world.add_member(guild, bob)
    world.add_channel(guild, "general")
    world.add_channel(guild, "reflections")
    hidden = Overwrite(guild.id, 0, deny=int(Perm.VIEW_CHANNEL))
    visible = Overwrite(moderator.id, 0, allow=int(Perm.VIEW_CHANNEL))
    bot_sees = Overwrite(bot_role.id, 0, allow=int(Perm.VIEW_CHANNEL))
    world.add_channel(guild, "mod-log", overwrites=[hidden, visible, bot_sees])
    world.add_channel(guild, "discussions", ChannelType.FORUM)
    return world


def demo_guild(world: World) -> Guild:
    """The demo guild in a world built by `build_demo`."""
    return next(g for g in world.guilds.values() if g.name == GUILD_NAME)


def build_many_guilds(count: int, *, years_apart: bool = False) -> tuple[World, dict[int, Channel]]:
    """`count` small servers, each with the bot and one #reflections channel: for fan-out runs.

    Made in one go, the servers' ids share their millisecond, and so their shard; with
    `years_apart` they are dated over the past years like a real bot's servers, which spreads
    them over the shards as Discord's would be."""
    world = World()
    owner = world.add_user("owner")
    channels: dict[int, Channel] = {}
    now_ms = world.ids.next() >> 22
    # About a day apart, closer when there are too many servers for that since Discord began;
    # always odd, so the ids spread evenly over any power-of-two number of shards (an even step,
    # as the clock made it on some runs, put 10,000 servers on half of eight shards).
    step = min(86_413_007, max(1, (now_ms - 1) // (count + 1))) | 1
    for number in range(count):
        guild_id = (
            ((now_ms - 1 - number * step) << 22) | (number & 0x3FFFFF) if years_apart else None
        )
        guild = world.add_guild(f"Circle {number}", owner=owner, guild_id=guild_id)
        role = world.add_role(guild, world.bot.username, BOT_PERMISSIONS, managed=True)
        world.add_member(guild, world.bot, [role])
        channels[guild.id] = world.add_channel(guild, "reflections")
    return world, channels
