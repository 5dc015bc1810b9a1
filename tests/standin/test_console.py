"""`python -m bot sandbox` as a newcomer and CI run it: a real process, real bot, stand-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from standin.console import WALKTHROUGH
from tests.test_cli import run_cli


def play(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "script.txt"
    path.write_text(script, encoding="utf-8")
    return run_cli("sandbox", "--script", str(path), cwd=tmp_path)


def test_the_shipped_walkthrough_passes(tmp_path: Path) -> None:
    result = run_cli("sandbox", "--script", str(WALKTHROUGH), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "\nOK: " in result.stdout
    assert "!!" not in result.stdout
    for feature in ("/about", "/selfcheck", "/learn", "/prompts", "/discuss", "/config", "/mydata"):
        assert f": {feature}" in result.stdout or f"> {feature}" in result.stdout, feature
    assert "Traceback" not in result.stderr


def test_a_failed_expectation_fails_the_script(tmp_path: Path) -> None:
    result = play(tmp_path, "as alice: /about\nexpect about mutual\nexpect a word never said\n")
    assert result.returncode == 1
    assert "ok: saw 'about mutual'" in result.stdout
    assert "FAILED: 1 problem(s) in 3 step(s)" in result.stdout
    assert "line 3 (expect a word never said)" in result.stdout


def test_a_command_that_does_not_exist_fails_the_script(tmp_path: Path) -> None:
    result = play(tmp_path, "# a typo\n/abuot\n")
    assert result.returncode == 1
    assert "/abuot is not a synced command here" in result.stdout


def test_a_missing_script_is_refused(tmp_path: Path) -> None:
    result = run_cli("sandbox", "--script", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert result.returncode == 2
    assert "No script at" in result.stderr


def test_the_console_reads_what_is_typed(tmp_path: Path) -> None:
    typed = "as alice: /about\nas bob\nquit\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sandbox"],
        input=typed,
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Type `help`" in result.stdout
    assert "alice in #general> " in result.stdout
    assert "About Mutual" in result.stdout
    assert "bob in #general> Bye." in result.stdout


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "MUTUAL_"))}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env
