"""`BotWork`: the tasks a running bot started for the events it was sent, so a test waits for
the bot's own completion instead of guessing it from a quiet period.

discord.py runs every handler (a slash command, a button's callback, a listener) in a task of its
own, created by the task that reads the gateway; the handler may start more work in tasks of its
own (a write after the answer, a post handed to a sender). Once the bot is ready, `BotWork`
records every task created by the bot's own tasks, and every task created by a recorded one, and
`finished()` waits until none of them is still running. A quiet period alone read a handler still
working after its answer (counting a self-check after showing its result, on a loaded machine) as
done.

Tasks meant to outlive their handler are left out: a view's timeout (it sleeps for minutes) and
tasks whose names start with one of the `background` prefixes the test gives (a retry that waits
for minutes, say).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Coroutine, Generator
from typing import Any

# Name prefixes of discord.py's tasks that sleep for minutes by design.
LONG_LIVED = ("discord-ui-view-timeout",)
_TIMEOUT_WAITERS = ("__timeout_task_impl",)


class BotWork:
    """Installed on the loop before the bot starts; `finished()` waits for its event handlers.

    Until `ready()`, every task the bot's task starts (and theirs) is one of its own long-lived
    ones: gateway readers, shard workers, what `setup_hook` started. From `ready()` on, a task
    started by one of those, or by a recorded task, is work for an event.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, background: tuple[str, ...] = ()) -> None:
        self._loop = loop
        self._long_lived = LONG_LIVED + background
        self._previous = loop.get_task_factory()
        self._bot: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self._work: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self._ready = False
        self._abandoned = False
        loop.set_task_factory(self._create)  # type: ignore[arg-type]

    def adopt(self, bot_task: asyncio.Task[Any]) -> None:
        """The task running `bot.start()`."""
        self._bot.add(bot_task)

    def ready(self) -> None:
        """The bot is ready: what its tasks start from now on is work for the events it gets."""
        self._ready = True

    def abandon(self) -> None:
        """The bot's process counts as gone (a simulated SIGKILL): what it was doing will
        never finish, so nothing of it is waited for any more."""
        self._abandoned = True

    def close(self) -> None:
        self._loop.set_task_factory(self._previous)

    def _create(
        self,
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any] | Generator[Any, None, Any],
        **options: Any,
    ) -> asyncio.Future[Any]:
        if self._previous is not None:
            task = self._previous(loop, coro, **options)
        else:
            task = asyncio.Task(coro, loop=loop, **options)
        parent = asyncio.current_task(loop)
        if parent is None or not isinstance(task, asyncio.Task):
            return task
        if parent in self._work or (self._ready and parent in self._bot):
            if not _waits_on_purpose(coro):
                self._work.add(task)
        elif parent in self._bot:
            self._bot.add(task)
        return task

    def running(self) -> list[asyncio.Task[Any]]:
        """Recorded tasks not yet done, except those named as long-lived (a task is named after
        it is created, so names are read here)."""
        if self._abandoned:
            return []
        return [
            task
            for task in list(self._work)
            if not task.done() and not task.get_name().startswith(self._long_lived)
        ]

    async def finished(self, within: float) -> bool:
        """Wait until every recorded task is done (tasks they start meanwhile included);
        False if some were still running after `within` seconds."""
        end = self._loop.time() + within
        while True:
            pending = [t for t in self.running() if t is not asyncio.current_task()]
            if not pending:
                return True
            left = end - self._loop.time()
            if left <= 0:
                return False
            await asyncio.wait(pending, timeout=left)


def _waits_on_purpose(coro: object) -> bool:
    name = getattr(coro, "__qualname__", "") or ""
    return name.endswith(_TIMEOUT_WAITERS)
