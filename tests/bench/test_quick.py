"""Every benchmark's `--quick` run, so a benchmark that rots fails the build.

Only that the run is sound is asserted (exit 0, and its verdict as the last line): timing goals
stay in each benchmark's printed verdict, since a quick run's sizes are too small to judge them
and the machine is shared. The PostgreSQL variants ask for `postgres_admin_url`, so without a
server they are left out with one line at the end of the run (and fail under CI=true), as the
storage tests are; the benchmark makes and drops its own databases on that server.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT

BENCHMARKS = ["interactions", "selfcheck", "prompts_load", "prompts_fanout", "personal_data"]
ON_POSTGRES = {
    "interactions": ["--database", "both"],
    "prompts_load": ["--database", "postgresql"],
    "prompts_fanout": ["--database", "postgresql", "--processes", "2"],
}


def quick_run(name: str, *extra: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--quick", *extra],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, f"{last}\n{result.stderr[-3000:]}"
    assert last.startswith("verdict: the run is sound"), result.stdout[-2000:]


@pytest.mark.parametrize("name", BENCHMARKS)
def test_the_quick_run_of_each_benchmark_is_sound(name: str) -> None:
    quick_run(name)


@pytest.mark.parametrize("name", sorted(ON_POSTGRES))
def test_the_quick_run_on_postgresql_is_sound(name: str, postgres_admin_url: str) -> None:
    quick_run(
        name, *ON_POSTGRES[name], env={**os.environ, "MUTUAL_TEST_PG_URL": postgres_admin_url}
    )
