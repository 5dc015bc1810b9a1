"""Stopping the bot in-process exactly as SIGKILL would, at a chosen Discord request.

From the moment the chosen request arrives at the stand-in, the bot's database is frozen (every
read and write fails; what was committed stays) and Discord answers nothing else it sends. With
`after=True` the request itself still goes through, so Discord has done that step and the bot
never recorded it; otherwise the process died just before it. Then a new bot starts on the same
database and world, as after a real restart.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from typing import Any

from standin.harness import Sandbox
from standin.ratelimit import Verdict
from tests.e2e.conftest import make_mutual
from tests.e2e.helpers import bot_of, clock_of

Step = Callable[[str, str, dict[str, str]], bool]


class _FrozenConnection:
    """Stands in for the aiosqlite connection of a killed process."""

    def __init__(self, real: Any) -> None:
        self._real = real

    async def close(self) -> None:
        await self._real.close()

    def __getattr__(self, name: str) -> Any:
        raise sqlite3.OperationalError("the process was killed")


def route(method: str, template: str, channel_id: int | None = None) -> Step:
    def matches(m: str, t: str, params: dict[str, str]) -> bool:
        if (m, t) != (method, template):
            return False
        return channel_id is None or params.get("channel_id") == str(channel_id)

    return matches


class Kill:
    def __init__(self, sandbox: Sandbox, step: Step, *, after: bool) -> None:
        self.sandbox = sandbox
        self.step = step
        self.after = after
        self.done = False
        limiter = sandbox.standin.limiter
        real_check = limiter.check

        def check(method: str, template: str, params: dict[str, str]) -> Verdict:
            if not self.done and self.step(method, template, params):
                self.done = True
                db = bot_of(sandbox).db
                db._conn = _FrozenConnection(db._conn)  # type: ignore[assignment]
                sandbox.abandon_work()
                if self.after:
                    return real_check(method, template, params)
            if self.done:
                return Verdict(status=503, body={"message": "the process was killed", "code": 0})
            return real_check(method, template, params)

        limiter.check = check  # type: ignore[method-assign]

    async def restart(self) -> Sandbox:
        assert self.done, "the kill never happened: the step was not reached"
        bot = bot_of(self.sandbox)
        settings, world, clock = bot.settings, self.sandbox.world, clock_of(self.sandbox)
        with contextlib.suppress(Exception):
            await self.sandbox.stop()
        return Sandbox(make_mutual(settings, clock), world=world)
