"""The systemd units in deploy/ pass `systemd-analyze verify` (where systemd is installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
UNITS = ("mutual.service", "mutual-backup.service", "mutual-backup.timer")


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
)
def test_units_verify_cleanly(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: point the units at this checkout's Python.
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        text = text.replace("/opt/mutual/.venv/bin/python", sys.executable)
        text = text.replace("/opt/mutual", str(PROJECT_ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    complaints = [line for line in result.stderr.splitlines() if str(tmp_path) in line]
    assert result.returncode == 0 and complaints == [], result.stderr


def test_the_service_restarts_on_failure_as_its_own_user_with_hardening() -> None:
    unit = (DEPLOY / "mutual.service").read_text(encoding="utf-8")
    for setting in (
        "Restart=on-failure",
        "User=mutual",
        "StateDirectory=mutual",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ExecStart=/opt/mutual/.venv/bin/python -m bot run",
    ):
        assert setting in unit


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
)
def test_the_shard_template_verifies_as_an_instance(tmp_path: Path) -> None:
    """A template verifies only as an instance: mutual@0-7.service, as an operator enables it."""
    text = (DEPLOY / "mutual@.service").read_text(encoding="utf-8")
    text = text.replace("/opt/mutual/.venv/bin/python", sys.executable)
    text = text.replace("/opt/mutual", str(PROJECT_ROOT))
    (tmp_path / "mutual@.service").write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "mutual@0-7.service")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    complaints = [line for line in result.stderr.splitlines() if str(tmp_path) in line]
    assert result.returncode == 0 and complaints == [], result.stderr


def test_the_shard_template_sets_the_range_from_its_instance() -> None:
    unit = (DEPLOY / "mutual@.service").read_text(encoding="utf-8")
    single = (DEPLOY / "mutual.service").read_text(encoding="utf-8")
    assert "Environment=MUTUAL_SHARDS=%I" in unit
    assert "EnvironmentFile=-/etc/mutual/mutual@%i.env" in unit
    # The same hardening and restart policy as the single-process unit.
    hardening = single[single.index("NoNewPrivileges") : single.index("[Install]")]
    assert hardening in unit and "Restart=on-failure" in unit
