"""Permissions follow Discord's order: roles, then @everyone, role and member overwrites."""

from __future__ import annotations

from standin.demo import build_demo, demo_guild
from standin.permissions import ALL, Perm, channel_permissions
from standin.state import ChannelType, Overwrite


def test_owner_and_administrator_have_everything() -> None:
    world = build_demo()
    guild = demo_guild(world)
    mod_log = world.channel_named("mod-log")
    assert channel_permissions(guild, mod_log, guild.owner_id) == ALL
    alice = world.user_named("alice")
    assert channel_permissions(guild, mod_log, alice.id) == 0
    admin = world.add_role(guild, "Admin", Perm.ADMINISTRATOR)
    guild.members[alice.id].roles.append(admin.id)
    assert channel_permissions(guild, mod_log, alice.id) == ALL


def test_overwrites_apply_everyone_then_roles_then_member() -> None:
    world = build_demo()
    guild = demo_guild(world)
    general = world.channel_named("general")
    bob = world.user_named("bob")
    facilitator = world.role_named(guild, "Facilitator")
    guild.members[bob.id].roles.append(facilitator.id)
    general.overwrites = [
        Overwrite(guild.id, 0, deny=int(Perm.SEND_MESSAGES)),
        Overwrite(facilitator.id, 0, allow=int(Perm.SEND_MESSAGES)),
    ]
    assert channel_permissions(guild, general, bob.id) & Perm.SEND_MESSAGES
    assert (
        not channel_permissions(guild, general, world.user_named("alice").id) & Perm.SEND_MESSAGES
    )
    general.overwrites.append(Overwrite(bob.id, 1, deny=int(Perm.SEND_MESSAGES)))
    assert not channel_permissions(guild, general, bob.id) & Perm.SEND_MESSAGES


def test_threads_use_their_parent_channel() -> None:
    world = build_demo()
    guild = demo_guild(world)
    general = world.channel_named("general")
    thread = world.add_channel(guild, "a thread", ChannelType.PUBLIC_THREAD, parent=general)
    general.overwrites = [Overwrite(world.bot.id, 1, deny=int(Perm.SEND_MESSAGES_IN_THREADS))]
    have = channel_permissions(guild, thread, world.bot.id)
    assert have & Perm.SEND_MESSAGES and not have & Perm.SEND_MESSAGES_IN_THREADS
    assert have & Perm.PIN_MESSAGES and Perm.PIN_MESSAGES == 1 << 51
