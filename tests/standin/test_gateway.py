"""The bot survives Discord pushing it off the gateway, and misses no event when it resumes."""

from __future__ import annotations

import json
import zlib

import aiohttp

from standin.harness import Sandbox
from tests.standin.testbot import ProbeBot, make_bot


async def test_resumes_after_close_4000_and_replays_missed_events(sandbox: Sandbox) -> None:
    gateway = sandbox.standin.gateway
    await sandbox.standin.close_gateway(4000)
    await sandbox.standin.post_as("bob", "general", "while you were away")
    reply = await sandbox.person("alice").slash("ping")
    assert reply.content == "pong"
    assert (gateway.identifies, gateway.resumes) == (1, 1)
    assert isinstance(sandbox.bot, ProbeBot)
    assert "while you were away" in sandbox.bot.seen


async def test_resumes_after_op_7_reconnect(sandbox: Sandbox) -> None:
    await sandbox.standin.send_reconnect()
    reply = await sandbox.person("alice").slash("ping")
    assert reply.content == "pong"
    assert sandbox.standin.gateway.resumes == 1


async def test_identifies_again_after_op_9_invalid_session(sandbox: Sandbox) -> None:
    await sandbox.standin.send_invalid_session(resumable=False)
    reply = await sandbox.person("bob").slash("ping")
    assert reply.content == "pong"
    assert sandbox.standin.gateway.identifies == 2
    assert sandbox.standin.gateway.resumes == 0


async def test_several_disconnects_in_a_row(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    for _ in range(2):
        await sandbox.standin.close_gateway(4000)
        await sandbox.standin.send_invalid_session()
        assert (await alice.slash("ping")).content == "pong"


async def test_message_content_needs_the_intent() -> None:
    def without_content() -> ProbeBot:
        bot = make_bot()
        bot._connection._intents.message_content = False
        return bot

    async with Sandbox(without_content) as sandbox:
        await sandbox.standin.post_as("bob", "general", "private words")
        await sandbox.standin.post_as("bob", "general", f"hey <@{sandbox.world.bot.id}>")
        bot = sandbox.bot
        assert isinstance(bot, ProbeBot)
        await sandbox.wait_for(lambda: len(bot.seen) == 2, 2, "both messages")
        assert bot.seen == ["", f"hey <@{sandbox.world.bot.id}>"]


async def test_frames_are_zlib_stream_and_a_bad_token_is_refused(sandbox: Sandbox) -> None:
    url = sandbox.standin.ws_url + "?v=10&encoding=json&compress=zlib-stream"
    inflate = zlib.decompressobj()
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        frame = await ws.receive_bytes()
        assert frame.endswith(b"\x00\x00\xff\xff")
        hello = json.loads(inflate.decompress(frame))
        assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] > 0
        await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}})
        closing = await ws.receive()
        assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4004
