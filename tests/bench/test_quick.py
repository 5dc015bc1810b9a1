"""Every benchmark's `--quick` run, so a benchmark that rots fails the build.

Only that the run is sound is asserted (exit 0, and its verdict as the last line): timing goals
stay in each benchmark's printed verdict, since a quick run's sizes are too small to judge them
and the machine is shared.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT

BENCHMARKS = ["interactions", "selfcheck", "prompts_load", "prompts_fanout", "personal_data"]


@pytest.mark.parametrize("name", BENCHMARKS)
def test_the_quick_run_of_each_benchmark_is_sound(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--quick"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, f"{last}\n{result.stderr[-3000:]}"
    assert last.startswith("verdict: the run is sound"), result.stdout[-2000:]
