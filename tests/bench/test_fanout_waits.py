"""The seconds of global waits the fan-out benchmark takes off the ceiling."""

from __future__ import annotations

import pytest

from bench.prompts_fanout import imposed_waits


def test_separate_waits_add_up() -> None:
    assert imposed_waits([1.0, 5.0], 0.2, 0.0, 10.0) == pytest.approx(0.4)


def test_overlapping_waits_count_once() -> None:
    assert imposed_waits([1.1, 1.0, 1.15], 0.2, 0.0, 10.0) == pytest.approx(0.35)


def test_waits_outside_the_span_are_cut_off() -> None:
    assert imposed_waits([-0.1, 9.9, 12.0], 0.2, 0.0, 10.0) == pytest.approx(0.2)


def test_no_waits() -> None:
    assert imposed_waits([], 0.2, 0.0, 10.0) == 0.0
