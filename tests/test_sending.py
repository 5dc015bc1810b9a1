"""The paced sender's bucket: what several processes at their shares send in any one second."""

from __future__ import annotations

import asyncio

import pytest

from bot import sending
from bot.sending import PacedSender, burst_for

_yield = asyncio.sleep


class FakeTime:
    """time.monotonic and asyncio.sleep on a clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 1e-6)  # a real sleep always moves the clock on
        await _yield(0)


def test_the_burst_is_a_twentieth_of_a_second_of_the_rate_within_bounds() -> None:
    assert burst_for(90.0, 16) == pytest.approx(4.5)
    assert burst_for(600.0, 16) == 16.0  # no more than can be in flight
    assert burst_for(2.0, 16) == 1.0  # a request needs a whole token


async def test_a_process_at_its_share_stays_within_its_share_of_the_global_50_every_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two processes at 22.5/s each (45/s split by shard) must each stay within their 25 in any
    one second, or together they cross Discord's 50/s: at most 1.05 times the rate, 24 (a burst
    of 16 made it 38 at start-up)."""
    fake = FakeTime()
    monkeypatch.setattr(sending.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(sending.asyncio, "sleep", fake.sleep)
    bucket = PacedSender(22.5, 16).bucket
    sent: list[float] = []
    for _ in range(200):
        await bucket.acquire()
        sent.append(fake.now)
    busiest = max(sum(1 for t in sent if start <= t < start + 1.0) for start in sent)
    assert busiest <= 24, f"{busiest} requests in one second"
