"""A schedule moved to another timezone posts on the new zone's next local day, once.

The fixture's clock starts on Monday 1 June 2026 at 12:00 UTC (14:00 in Berlin).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from standin.harness import Sandbox
from standin.people import message_text
from tests.e2e.helpers import clock_of, run_timers


def posts(sandbox: Sandbox) -> list[str]:
    return [message_text(m) for m in sandbox.messages_in("reflections")]


async def test_a_westward_change_posts_on_the_new_zones_next_day(sandbox: Sandbox) -> None:
    mod, clock = sandbox.person("mod"), clock_of(sandbox)
    await mod.slash("prompts setup", channel="reflections", time="00:30", timezone="Europe/Berlin")
    clock.set(datetime(2026, 6, 1, 22, 30, 2, tzinfo=UTC))  # 00:30 on 2 June in Berlin
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 1

    clock.set(datetime(2026, 6, 1, 23, 0, tzinfo=UTC))  # 19:00 on 1 June in New York
    reply = await mod.slash(
        "prompts setup", channel="reflections", time="20:00", timezone="America/New_York"
    )
    assert "Daily prompts are set" in reply.text, reply.text
    status = await mod.slash("prompts status")
    assert "Tue 02 Jun 20:00 local" in status.text, status.text

    clock.set(datetime(2026, 6, 2, 0, 0, 2, tzinfo=UTC))  # 20:00 on 1 June: it had its post
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 1
    clock.set(datetime(2026, 6, 3, 0, 0, 2, tzinfo=UTC))  # 20:00 on 2 June in New York
    sandbox.standin.clock.advance(timedelta(days=1))  # Discord's time, too
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 2
    assert str(sandbox.messages_in("reflections")[-1].nonce).endswith(":20260602")
    clock.advance(timedelta(days=1))
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 3


async def test_an_eastward_change_does_not_post_twice_on_one_local_day(sandbox: Sandbox) -> None:
    mod, clock = sandbox.person("mod"), clock_of(sandbox)
    await mod.slash(
        "prompts setup", channel="reflections", time="20:00", timezone="America/New_York"
    )
    clock.set(datetime(2026, 6, 2, 0, 0, 2, tzinfo=UTC))  # 20:00 on 1 June in New York
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 1

    clock.set(datetime(2026, 6, 2, 0, 10, tzinfo=UTC))  # 02:10 on 2 June in Berlin
    await mod.slash("prompts setup", channel="reflections", time="09:00", timezone="Europe/Berlin")
    clock.set(datetime(2026, 6, 2, 7, 0, 2, tzinfo=UTC))  # 09:00 on 2 June: it had its post
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 1
    clock.advance(timedelta(days=1))
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 2


async def test_a_re_dated_post_never_shares_a_nonce_with_the_next_one(sandbox: Sandbox) -> None:
    """Discord's clock stays put here, so a repeated nonce would hand back the earlier message
    (the re-dated 2 June post) instead of posting New York's 2 June prompt."""
    mod, clock = sandbox.person("mod"), clock_of(sandbox)
    await mod.slash("prompts setup", channel="reflections", time="00:30", timezone="Europe/Berlin")
    clock.set(datetime(2026, 6, 1, 22, 30, 2, tzinfo=UTC))  # 00:30 on 2 June in Berlin
    await run_timers(sandbox)
    clock.set(datetime(2026, 6, 1, 23, 0, tzinfo=UTC))
    await mod.slash(
        "prompts setup", channel="reflections", time="20:00", timezone="America/New_York"
    )
    clock.set(datetime(2026, 6, 3, 0, 0, 2, tzinfo=UTC))  # 20:00 on 2 June in New York
    await run_timers(sandbox)
    first, second = sandbox.messages_in("reflections")
    assert first.nonce != second.nonce
    assert str(first.nonce).endswith(":20260602") and str(second.nonce).endswith(":20260602")
