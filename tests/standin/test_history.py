"""Reading a channel's history: anchors, order, paging and permissions as Discord serves them."""

from __future__ import annotations

import discord
import pytest

from standin.harness import Sandbox
from standin.permissions import Perm
from standin.state import Overwrite


def seed(sandbox: Sandbox, count: int) -> list[int]:
    """`count` messages from alice in #general, oldest first; returns their ids."""
    general = sandbox.channel("general")
    alice = sandbox.world.user_named("alice")
    return [sandbox.world.add_message(general, alice, content=f"m{i}").id for i in range(count)]


def general(sandbox: Sandbox) -> discord.PartialMessageable:
    channel = sandbox.channel("general")
    return sandbox.bot.get_partial_messageable(channel.id, guild_id=channel.guild_id)


async def test_no_anchor_gives_the_newest_newest_first(sandbox: Sandbox) -> None:
    ids = seed(sandbox, 8)
    got = [m.id async for m in general(sandbox).history(limit=3)]
    assert got == ids[:-4:-1]


async def test_after_pages_oldest_first_without_repeats(sandbox: Sandbox) -> None:
    ids = seed(sandbox, 130)
    channel = general(sandbox)
    got = [m.id async for m in channel.history(limit=None, after=discord.Object(ids[4]))]
    assert got == ids[5:]
    first_two = [m.id async for m in channel.history(limit=2, after=discord.Object(ids[9]))]
    assert first_two == ids[10:12]


async def test_before_pages_newest_first(sandbox: Sandbox) -> None:
    ids = seed(sandbox, 120)
    got = [m.id async for m in general(sandbox).history(limit=None, before=discord.Object(ids[-3]))]
    assert got == ids[-4::-1]


async def test_around_takes_both_sides_of_the_anchor(sandbox: Sandbox) -> None:
    ids = seed(sandbox, 20)
    got = [m.id async for m in general(sandbox).history(limit=5, around=discord.Object(ids[10]))]
    assert sorted(got) == ids[8:13]


async def test_ephemeral_answers_are_not_history(sandbox: Sandbox) -> None:
    ids = seed(sandbox, 2)
    alice = sandbox.world.user_named("alice")
    sandbox.world.add_message(sandbox.channel("general"), alice, content="just me", flags=1 << 6)
    got = [m.id async for m in general(sandbox).history(limit=10)]
    assert got == ids[::-1]


@pytest.mark.parametrize("limit", [0, 101])
async def test_limit_outside_1_to_100_is_refused(sandbox: Sandbox, limit: int) -> None:
    channel = sandbox.channel("general")
    with pytest.raises(discord.HTTPException) as caught:
        await sandbox.bot.http.logs_from(channel.id, limit)
    assert caught.value.status == 400 and caught.value.code == 50035


@pytest.mark.parametrize(
    ("denied", "code"),
    [(Perm.READ_MESSAGE_HISTORY, 50013), (Perm.VIEW_CHANNEL, 50001)],
)
async def test_history_needs_view_channel_and_read_message_history(
    sandbox: Sandbox, denied: Perm, code: int
) -> None:
    seed(sandbox, 2)
    sandbox.channel("general").overwrites.append(
        Overwrite(sandbox.world.bot.id, 1, deny=int(denied))
    )
    with pytest.raises(discord.Forbidden) as caught:
        [m async for m in general(sandbox).history(limit=5)]
    assert caught.value.code == code
