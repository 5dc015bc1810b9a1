"""IDENTIFY pacing by Discord's session_start_limit (bot/identify.py), on a fake clock."""

from __future__ import annotations

from bot.identify import IdentifyGate


class FakeTime:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


def gate(fake: FakeTime, **limits: int) -> IdentifyGate:
    base = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
    return IdentifyGate({**base, **limits}, now=fake.now, sleep=fake.sleep)


async def identify_times(g: IdentifyGate, fake: FakeTime, shards: range) -> list[float]:
    times = []
    for shard in shards:
        await g.wait(shard)
        times.append(fake.t)
    return times


async def test_one_bucket_identifies_once_per_five_seconds() -> None:
    fake = FakeTime()
    assert await identify_times(gate(fake), fake, range(3)) == [0.0, 5.0, 10.0]


async def test_max_concurrency_starts_that_many_shards_together() -> None:
    fake = FakeTime()
    times = await identify_times(gate(fake, max_concurrency=4), fake, range(8))
    assert times == [0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 5.0, 5.0]


async def test_a_used_up_day_waits_for_the_reset() -> None:
    fake = FakeTime()
    g = gate(fake, total=1000, remaining=1, reset_after=60_000, max_concurrency=2)
    times = await identify_times(g, fake, range(2))
    assert times == [0.0, 60.0]
    assert g.remaining == 999
