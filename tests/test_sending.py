"""The sender's pace and its concurrency, on a clock the test moves (no timing asserted)."""

from __future__ import annotations

import asyncio

import pytest

from bot import sending
from bot.sending import PacedSender, SendWindow, requests_done

_real_sleep = asyncio.sleep


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await _real_sleep(0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sending.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(sending.asyncio, "sleep", fake.sleep)
    return fake


async def test_a_window_never_holds_more_than_the_rate(clock: Clock) -> None:
    window = SendWindow(10)
    times = []
    for _ in range(35):
        await window.acquire()
        times.append(clock.now)
    for at in times:
        assert sum(1 for t in times if at <= t < at + 1.0) <= 10
    assert times[-1] - times[0] == pytest.approx(3.0)


async def test_time_lost_to_a_pause_is_caught_up_within_the_window(clock: Clock) -> None:
    window = SendWindow(10)
    for _ in range(5):
        await window.acquire()
        clock.now += 0.1
    clock.now += 0.3  # held up (a global 429's pause): 5 sent in the last 0.8 s
    for _ in range(5):
        await window.acquire()
    assert clock.slept == []  # the window still had room for them at once


async def test_a_share_of_the_token_never_takes_more_than_its_share_in_any_second(
    clock: Clock,
) -> None:
    """Two processes at 22.5/s each (45/s split by shard) must each stay within their half of
    Discord's 50/s in every second, also when they catch up after being held up: 22 a second."""
    window = SendWindow(22.5)
    times = []
    for n in range(200):
        await window.acquire()
        times.append(clock.now)
        if n % 50 == 49:
            clock.now += 0.7  # held up, then catching up as fast as the window allows
    busiest = max(sum(1 for t in times if at <= t < at + 1.0) for at in times)
    assert busiest <= 22, f"{busiest} requests in one second"


async def test_a_job_frees_its_place_once_its_requests_are_made() -> None:
    sender = PacedSender(rate=1000, concurrency=1)
    recording = asyncio.Event()
    order: list[str] = []

    async def first() -> None:
        order.append("first sent")
        requests_done()
        await recording.wait()  # its own bookkeeping, after its place went to the next job
        order.append("first recorded")

    async def second() -> None:
        order.append("second sent")
        recording.set()

    sender.submit("first", first)
    sender.submit("second", second)
    await sender.drain()
    assert order == ["first sent", "second sent", "first recorded"]
    assert sender.outcomes["sent"] == 2


async def test_outside_a_job_requests_done_does_nothing() -> None:
    requests_done()
