"""What real Discord refuses, the stand-in refuses too, and records when the bot is at fault."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from standin.harness import BotCrashed, Sandbox
from standin.payloads import InvalidInput
from standin.permissions import Perm
from tests.standin.testbot import make_bot

MESSAGES = "POST /channels/{}/messages"


@pytest.fixture
async def strict() -> AsyncIterator[Sandbox]:
    """A sandbox with a short acknowledgement window, so missed answers are found quickly."""
    async with Sandbox(make_bot, ack_deadline=0.3) as running:
        yield running
        running.assert_no_failures()


async def test_over_limit_embed_is_a_violation(strict: Sandbox) -> None:
    reply = await strict.person("alice").slash("bigembed")
    assert not reply.acknowledged
    violations = strict.take_failures("validation")
    assert any("embeds/0/description: 4097 > 4096" in f.problem for f in violations)
    assert violations[0].body["data"]["embeds"][0]["description"] == "x" * 4097
    assert strict.take_failures("unacknowledged")


async def test_schema_invalid_body_is_a_violation(sandbox: Sandbox) -> None:
    if not sandbox.standin.validator.has_spec:
        pytest.skip("Discord's OpenAPI spec is not available")
    await sandbox.person("alice").slash("raw")
    violations = sandbox.take_failures("validation")
    assert [f.problem for f in violations if f.problem.startswith("tts:")], violations
    assert violations[0].body == {"content": "hi", "tts": "yes"}


async def test_missing_permission_is_403(sandbox: Sandbox) -> None:
    await sandbox.standin.deny_bot("reflections", Perm.SEND_MESSAGES)
    reply = await sandbox.person("mod").slash("post", target="reflections", text="hello")
    assert reply.content == "error 403 50013"
    assert sandbox.messages_in("reflections") == []


async def test_editing_a_channel_needs_manage_channels(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    refused = await mod.slash("slowmode", seconds=30)
    assert refused.content == "error 50013"
    sandbox.standin.set_overwrite("general", "Mutual", allow=Perm.MANAGE_CHANNELS)
    allowed = await mod.slash("slowmode", seconds=30)
    assert allowed.content == "slowmode 30"
    assert sandbox.channel("general").rate_limit_per_user == 30


async def test_direct_messages_and_closed_dms(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    assert (await alice.slash("dmme")).content == "sent you a DM"
    assert [m.content for m in sandbox.dms_with("alice")] == ["hello in private"]
    sandbox.standin.dms_closed.add(alice.id)
    assert (await alice.slash("dmme")).content == "error 50007"


async def test_deleted_channel_is_404(sandbox: Sandbox) -> None:
    gone = sandbox.channel("reflections")
    await sandbox.standin.delete_channel(gone)
    reply = await sandbox.person("mod").slash("post_id", channel_id=str(gone.id), text="hello")
    assert reply.content == "error 404 10003"


async def test_same_nonce_returns_the_first_message(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("twice")
    first, second = reply.content.split()
    assert first == second
    assert [m.content for m in sandbox.messages_in("general")] == ["announcement"]


async def test_429_is_retried_by_discord_py(sandbox: Sandbox) -> None:
    sandbox.standin.force_rate_limit(MESSAGES, retry_after=0.05)
    reply = await sandbox.person("alice").slash("post", target="general", text="hi")
    assert reply.content.startswith("posted ")
    statuses = [r.status for r in sandbox.standin.requests if r.method + " " + r.route == MESSAGES]
    assert statuses == [429, 200]


async def test_server_error_is_retried_by_discord_py(sandbox: Sandbox) -> None:
    sandbox.standin.inject_errors(MESSAGES, count=1, status=500)
    reply = await sandbox.person("alice").slash("post", target="general", text="hi")
    assert reply.content.startswith("posted ")


async def test_unacknowledged_interaction_is_recorded(strict: Sandbox) -> None:
    reply = await strict.person("alice").slash("silent")
    assert not reply.acknowledged and reply.type is None
    [failure] = strict.take_failures("unacknowledged")
    assert "not acknowledged within 0.3 s" in failure.problem


async def test_expired_token_and_unknown_route(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("ping")
    sandbox.world.clock.advance(timedelta(minutes=16))
    app = sandbox.world.application_id
    async with aiohttp.ClientSession(sandbox.standin.url) as http:
        late = await http.post(
            f"/api/v10/webhooks/{app}/{reply.record.token}?wait=true", json={"content": "x"}
        )
        assert late.status == 401 and (await late.json())["code"] == 50027
        headers = {"Authorization": f"Bot {sandbox.standin.token}"}
        missing = await http.get("/api/v10/guilds/1/bans", headers=headers)
        assert missing.status == 404 and missing.headers["Content-Type"] == "application/json"
    kinds = [f.kind for f in sandbox.take_failures()]
    assert kinds == ["interaction", "unknown-route"]


async def test_a_dead_bot_fails_every_later_call(sandbox: Sandbox) -> None:
    await sandbox.bot.close()
    with pytest.raises(BotCrashed):
        await sandbox.until(asyncio.sleep(5), 6, "the bot task to end")
    with pytest.raises(BotCrashed):
        await sandbox.person("alice").slash("ping")
    assert [f.kind for f in sandbox.take_failures()] == ["bot-crash"]


async def test_late_acknowledgement_is_recorded(sandbox: Sandbox) -> None:
    answering = asyncio.create_task(sandbox.person("alice").slash("sleepy"))
    await asyncio.sleep(0.05)
    sandbox.world.clock.advance(timedelta(seconds=5))
    reply = await answering
    assert not reply.acknowledged
    [failure] = sandbox.take_failures("unacknowledged")
    assert "after the 3 s window" in failure.problem


async def test_what_a_discord_client_would_not_send_is_refused(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    with pytest.raises(InvalidInput, match="required"):
        await alice.slash("post", text="no target")
    with pytest.raises(InvalidInput, match="no option"):
        await alice.slash("ping", loudly=True)
    with pytest.raises(InvalidInput, match="not a synced command"):
        await alice.slash("nothing")
    reply = await alice.slash("selfcheck start", instrument="hope")
    with pytest.raises(InvalidInput, match="not options"):
        await alice.select(reply, "How do you feel?", ["Furious"])
