"""The bot-in-a-child-process sandbox the benchmarks use to measure the bot's CPU alone."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench._common import world_with
from bench._process import ProcessSandbox, SharedClock
from bench._shape import SCRIPT_FILE, save
from bench.selfcheck import checks, recorded_shapes
from standin.harness import BotCrashed


def test_a_shared_clock_moves_for_every_process_that_maps_it(tmp_path: Path) -> None:
    start = datetime(2025, 3, 3, 12, tzinfo=UTC)
    writer = SharedClock(tmp_path / "clock", start)
    reader = SharedClock(tmp_path / "clock")
    assert reader.now() == start and reader.now().tzinfo is not None
    writer.advance(timedelta(minutes=3))
    assert reader.now() == start + timedelta(minutes=3)
    writer.close()
    reader.close()


async def test_a_bot_in_a_child_process_answers_and_reports_its_cpu(tmp_path: Path) -> None:
    spec = tmp_path / "no-spec.json"
    (tmp_path / "shapes").mkdir()
    save(await recorded_shapes(tmp_path / "shapes", spec), tmp_path / SCRIPT_FILE)
    world, names = world_with(1)
    sandbox = ProcessSandbox("bench.selfcheck:ceiling_factory", tmp_path, world, spec)
    async with sandbox:
        assert sandbox._process is not None and sandbox._process.pid != os.getpid()
        before = await sandbox.bot_cpu(settle_memory=True)
        person = sandbox.person(names[0])
        reply = await person.slash("ping")
        assert reply.acknowledged and reply.content == "pong" and reply.ephemeral
        latencies: list[float] = []
        echo = checks("echo start")
        assert await echo.run(person, latencies) == echo.instruments[0][1] + 3
        assert await sandbox.bot_cpu() > before
        sandbox.assert_no_failures()
    assert sandbox._process.returncode == 0


async def test_a_bot_process_that_dies_at_start_is_reported(tmp_path: Path) -> None:
    world, _ = world_with(0)
    sandbox = ProcessSandbox("bench._process:no_such_factory", tmp_path, world, None)
    with pytest.raises(BotCrashed, match="exited"):
        await sandbox.start()
    assert sandbox._process is not None and sandbox._process.returncode != 0
