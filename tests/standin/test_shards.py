"""The stand-in serves sharded sessions like Discord: each server on its own shard only."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord.ext import commands

from standin.demo import build_many_guilds
from standin.harness import Sandbox
from standin.server import StandIn
from standin.validation import spec_path


def shard_of(guild_id: int, count: int) -> int:
    return (guild_id >> 22) % count


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    world, _ = build_many_guilds(40, years_apart=True)
    server = StandIn(world, max_concurrency=4)
    await server.start()
    yield server
    await server.stop()


async def identify(
    server: StandIn, shard: Any = None, *, events: int = 0
) -> tuple[list[dict[str, Any]], int | None]:
    """IDENTIFY (with `shard` unless None) and read frames until `events` dispatches, or the
    close; returns the dispatches and the close code."""
    frames: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(server.ws_url) as ws:
        await ws.receive_json()  # HELLO
        data: dict[str, Any] = {"token": server.token, "intents": 1, "properties": {}}
        if shard is not None:
            data["shard"] = shard
        await ws.send_json({"op": 2, "d": data})
        while len(frames) < events or not events:
            message = await ws.receive(timeout=5)
            if message.type is not aiohttp.WSMsgType.TEXT:
                return frames, ws.close_code
            frames.append(json.loads(message.data))
    return frames, None


async def test_gateway_bot_recommends_shards_and_says_the_session_start_limit() -> None:
    world, _ = build_many_guilds(2_001, years_apart=True)
    server = StandIn(world, max_concurrency=16)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            response = await http.get(
                f"{server.url}/api/v10/gateway/bot", headers={"Authorization": "Bot sandbox-token"}
            )
            body = await response.json()
    finally:
        await server.stop()
    assert body["shards"] == 3  # one per 1,000 servers, rounded up
    limit = body["session_start_limit"]
    assert limit["max_concurrency"] == 16 and limit["remaining"] == limit["total"] == 1000
    assert isinstance(limit["reset_after"], int)
    spec = spec_path()
    if spec.is_file():  # the shapes Discord's OpenAPI description requires
        schemas = json.loads(spec.read_text())["components"]["schemas"]
        assert set(schemas["GatewayBotResponse"]["required"]) <= set(body)
        assert set(schemas["GatewayBotSessionStartLimitResponse"]["required"]) <= set(limit)


async def test_each_shard_gets_only_its_own_servers(standin: StandIn) -> None:
    guilds = list(standin.world.guilds)
    mine = [g for g in guilds if shard_of(g, 2) == 1]
    assert 0 < len(mine) < len(guilds)
    frames, _ = await identify(standin, [1, 2], events=1 + len(mine))
    ready = frames[0]["d"]
    assert frames[0]["t"] == "READY" and ready["shard"] == [1, 2]
    assert sorted(int(g["id"]) for g in ready["guilds"]) == sorted(mine)
    created = [int(f["d"]["id"]) for f in frames[1:] if f["t"] == "GUILD_CREATE"]
    assert sorted(created) == sorted(mine)


@pytest.mark.parametrize("shard", [[2, 2], [0, 0], [-1, 4], "0,1", [0]])
async def test_a_shard_that_cannot_exist_is_closed_with_4010(standin: StandIn, shard: Any) -> None:
    _, code = await identify(standin, shard)
    assert code == 4010
    assert standin.gateway.refused == [4010]


async def test_an_unsharded_session_over_2500_servers_is_closed_with_4011() -> None:
    world, _ = build_many_guilds(2_501, years_apart=True)
    server = StandIn(world)
    await server.start()
    try:
        _, unsharded = await identify(server)
        frames, _ = await identify(server, [0, 2], events=1)
    finally:
        await server.stop()
    assert unsharded == 4011
    assert frames[0]["t"] == "READY"


async def test_discord_py_shards_see_each_server_on_its_shard_only() -> None:
    """The real AutoShardedBot, two shards: every server arrives once, on the right shard, and
    an event in a server reaches the bot through its shard's session alone."""
    intents = discord.Intents.none()
    intents.guilds = True
    bot = commands.AutoShardedBot(command_prefix="!", intents=intents, shard_count=2)
    sandbox = Sandbox(bot, world=build_many_guilds(40, years_apart=True)[0], sync=False)
    async with sandbox:
        guilds = sandbox.world.guilds
        assert {g.id for g in bot.guilds} == set(guilds)
        assert all(g.shard_id == shard_of(g.id, 2) for g in bot.guilds)
        live = sandbox.standin.gateway.live
        assert sorted(live) == [(0, 2), (1, 2)]
        target = next(iter(guilds))
        before = {shard: session.seq for shard, session in live.items()}
        channel = next(c for c in sandbox.world.channels.values() if c.guild_id == target)
        await sandbox.standin.dispatch("CHANNEL_UPDATE", channel.to_dict())
        moved = {shard for shard, session in live.items() if session.seq != before[shard]}
        assert moved == {(shard_of(target, 2), 2)}
