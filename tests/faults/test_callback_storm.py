"""A burst of Discord 5xx answers on interaction callbacks: every click is still answered in time."""

from __future__ import annotations

import asyncio

from standin.harness import Sandbox
from tests.e2e.selfcheck_support import begin

CALLBACK = "POST /interactions/{}/{}/callback"


async def test_concurrent_self_check_clicks_survive_a_5xx_storm(sandbox: Sandbox) -> None:
    people = [sandbox.person(name) for name in ("alice", "bob", "mod")]
    started = [(p, await begin(p, "give-and-take")) for p in people * 3 + people[:1]]
    # Two in a row for each click: discord.py alone would wait 1 s, then 3 s, and miss the 3 s.
    sandbox.standin.inject_errors(CALLBACK, count=2 * len(started), status=500)
    replies = await asyncio.gather(*(p.click(r, "Often") for p, r in started))
    assert [r.acknowledged for r in replies] == [True] * len(started)
    for reply in replies:
        assert reply.embed is not None and reply.embed["title"].endswith("2/10")
    assert sandbox.take_failures("unacknowledged") == []
