"""The shared benchmark helpers: figures, the drive loop and the table."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bench._common import Figures, drive, table


def test_figures_rate_percentiles_and_ratio() -> None:
    figures = Figures("flow", 200, 2.0, [n / 1000 for n in range(1, 101)])
    assert figures.rate == 100.0
    assert figures.p50 == pytest.approx(51.0)
    assert figures.p99 == pytest.approx(100.0)
    assert figures.ratio(Figures("ceiling", 400, 2.0)) == 0.5
    assert Figures("empty", 0, 0.0).rate == 0.0
    assert Figures("empty", 0, 1.0).p99 == 0.0


class Members:
    """Just enough of a Sandbox for `drive`: people by name and a failure list."""

    def __init__(self) -> None:
        self.checked = False

    def take_failures(self) -> list[Any]:
        return []

    def assert_no_failures(self) -> None:
        self.checked = True

    def person(self, name: str) -> str:
        return name


async def test_drive_counts_every_member_when_they_act_at_once() -> None:
    async def unit(person: Any, latencies: list[float]) -> int:
        await asyncio.sleep(0.002)
        latencies.append(0.002)
        return 1

    members = Members()
    names = [f"member{n}" for n in range(8)]
    figures = await drive("flow", members, names, 0.1, unit)  # type: ignore[arg-type]
    assert figures.interactions == len(figures.latencies) > 8
    assert members.checked


def test_table_aligns_columns() -> None:
    text = table(["flow", "per s"], [["/ping", "1377"], ["/about", "95"]])
    assert text.splitlines() == [
        "flow    per s",
        "------  -----",
        "/ping    1377",
        "/about     95",
    ]
