"""The daily post mentions the role a server chose, and nobody else; only today's stays pinned.

The fixture's clock starts on Monday 1 June 2026 at 12:00 UTC (14:00 in Berlin).
"""

from __future__ import annotations

from datetime import timedelta

from standin.harness import Sandbox
from tests.e2e.helpers import clock_of, run_timers


async def _setup(sandbox: Sandbox, **options: object) -> None:
    reply = await sandbox.person("mod").slash(
        "prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin", **options
    )
    assert "Daily prompts are set" in reply.text, reply.text


async def _next_day(sandbox: Sandbox, first: bool = False) -> None:
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1) if first else timedelta(days=1))
    sandbox.standin.clock.advance(timedelta(days=1))
    await run_timers(sandbox)


async def test_no_one_is_mentioned_unless_a_role_is_chosen(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    await _setup(sandbox)
    await _next_day(sandbox, first=True)
    first = sandbox.messages_in("reflections")[-1]
    assert first.mention_roles == [] and "<@&" not in (first.content or "")

    role = next(r for r in sandbox.guild.roles.values() if r.name == "Facilitator")
    reply = await mod.slash("prompts ping", role="@Facilitator")
    assert reply.ephemeral and f"<@&{role.id}>" in reply.text, reply.text
    await _next_day(sandbox)
    second = sandbox.messages_in("reflections")[-1]
    assert second.content.startswith(f"<@&{role.id}>")
    assert second.mention_roles == [str(role.id)] and second.mentions == []
    assert not second.mention_everyone

    refused = await mod.slash("prompts ping", role="@everyone")
    assert "won't mention everyone" in refused.text
    off = await mod.slash("prompts ping")
    assert "no longer mention anyone" in off.text
    await _next_day(sandbox)
    assert sandbox.messages_in("reflections")[-1].mention_roles == []
    sandbox.assert_no_failures()


async def test_pinning_todays_prompt_unpins_yesterdays(sandbox: Sandbox) -> None:
    await _setup(sandbox, pin=True)
    await _next_day(sandbox, first=True)
    await _next_day(sandbox)
    await _next_day(sandbox)
    assert [m.pinned for m in sandbox.messages_in("reflections")] == [False, False, True]
    sandbox.assert_no_failures()
