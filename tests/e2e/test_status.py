"""/status: one private screen that answers "why didn't today's prompt go out?"."""

from __future__ import annotations

from datetime import timedelta

from standin.harness import Sandbox
from standin.people import Reply
from standin.permissions import Perm
from tests.e2e.discussions_support import ask, start
from tests.e2e.helpers import clock_of, run_timers
from tests.e2e.lifecycle_support import SUGGESTION


def field(reply: Reply, name: str) -> str:
    assert reply.embed is not None, reply.text
    return str(next(f["value"] for f in reply.embed["fields"] if f["name"] == name))


async def test_a_new_server_sees_what_to_set_up(sandbox: Sandbox) -> None:
    reply = await sandbox.person("mod").slash("status")
    assert reply.messages and all(m.flags & 64 for m in reply.messages)
    assert "/prompts setup" in field(reply, "Daily prompt")
    assert field(reply, "Last prompt") == "None yet."
    assert field(reply, "Discussions") == "0 open, 0 scheduled"
    assert "All in place" in field(reply, "Permissions")


async def test_a_paused_prompt_names_its_reason_and_the_missing_permission(
    sandbox: Sandbox,
) -> None:
    mod, alice = sandbox.person("mod"), sandbox.person("alice")
    await mod.slash("prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin")
    healthy = await mod.slash("status")
    assert "Next: <t:" in field(healthy, "Daily prompt")
    await sandbox.standin.deny_bot("reflections", Perm.SEND_MESSAGES)
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)

    await mod.slash("config log-channel", channel="mod-log")
    thread = await start(sandbox, topic="trust")
    await ask(alice, thread, "A question that waits for review")
    form = await alice.slash("prompt suggest")
    assert form.modal is not None
    await alice.submit_modal(form, {"The prompt": SUGGESTION})

    reply = await mod.slash("status")
    prompt = field(reply, "Daily prompt")
    assert prompt.startswith("**Paused**") and "Send Messages" in prompt
    assert "failed" in field(reply, "Last prompt")
    assert field(reply, "Discussions") == "1 open, 0 scheduled"
    waiting = field(reply, "Waiting for review")
    assert "1 anonymous question (" in waiting and "1 prompt suggestion (" in waiting
    assert "#reflections (daily prompts) is missing: Send Messages" in field(reply, "Permissions")


async def test_members_are_told_it_is_for_moderators(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("status")
    assert "for moderators" in reply.text


async def test_each_schedule_has_its_own_lines(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    await mod.slash("prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin")
    await mod.slash(
        "prompts setup",
        channel="general",
        time="10:00",
        timezone="Europe/Berlin",
        weekdays="weekends",
        schedule="weekend",
    )
    await sandbox.standin.deny_bot("general", Perm.SEND_MESSAGES)
    await mod.slash("prompts pause", schedule="weekend")

    reply = await mod.slash("status")
    assert "Next: <t:" in field(reply, "Daily prompt: daily")
    reflections, general = sandbox.channel("reflections").id, sandbox.channel("general").id
    assert f"<#{reflections}>" in field(reply, "Daily prompt: daily")
    weekend = field(reply, "Daily prompt: weekend")
    assert "Paused" in weekend and f"<#{general}>" in weekend
    assert field(reply, "Last prompt: weekend") == "None yet."
    assert "#general (daily prompts) is missing: Send Messages" in field(reply, "Permissions")
