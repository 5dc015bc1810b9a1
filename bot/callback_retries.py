"""Answering an interaction through a burst of Discord 5xx errors, inside the 3 s window.

discord.py retries a failed interaction callback after 1 s, then 3 s more: two 5xx answers in a
row and the member sees "This interaction failed", though the bot did everything right (measured
in the stand-in: with two 500s per callback, 10 of 10 concurrent self-check clicks were lost).
The callback is tried again here after short pauses that fit the window, before discord.py sees
the error. A callback carrying files is sent as a form that cannot be sent twice, so it keeps
discord.py's own retries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import aiohttp
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

CALLBACK_PAUSES: Sequence[float] = (0.2, 0.4, 0.6)
_MARK = "_mutual_quick_callback_retries"


class _QuickRetry:
    """`session.request(...)` as a context manager that retries 5xx answers after short pauses."""

    def __init__(self, session: aiohttp.ClientSession, args: tuple[Any, ...], kw: dict[str, Any]):
        self._session = session
        self._args = args
        self._kw = kw
        self._response: aiohttp.ClientResponse | None = None

    async def __aenter__(self) -> aiohttp.ClientResponse:
        retry = isinstance(self._kw.get("data"), str | bytes | None)
        for pause in (*CALLBACK_PAUSES, None) if retry else (None,):
            response = await self._session.request(*self._args, **self._kw)
            if response.status < 500 or pause is None:
                self._response = response
                return response
            response.release()
            await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            self._response.release()


class _QuickRetrySession:
    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    def request(self, *args: Any, **kw: Any) -> _QuickRetry:
        return _QuickRetry(self._session, args, kw)


def quick_callback_retries(adapter: AsyncWebhookAdapter | None = None) -> None:
    """Give the (default) webhook adapter's interaction callbacks the short retries above."""
    adapter = adapter or async_context.get()
    if getattr(adapter, _MARK, False):
        return
    original = adapter.create_interaction_response

    def create_interaction_response(*args: Any, session: aiohttp.ClientSession, **kw: Any) -> Any:
        return original(*args, session=_QuickRetrySession(session), **kw)  # type: ignore[arg-type]

    adapter.create_interaction_response = create_interaction_response  # type: ignore[method-assign]
    setattr(adapter, _MARK, True)
