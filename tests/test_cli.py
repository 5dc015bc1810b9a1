import os
import shutil
import subprocess
import sys
from pathlib import Path

from bot.config import DEFAULT_CONTENT_DIR, PROJECT_ROOT


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "MUTUAL_"))}
    full_env["PYTHONPATH"] = str(PROJECT_ROOT)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "python -m bot sandbox" in result.stderr


def test_bad_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path, env={"MUTUAL_DEV_GUILD_ID": "not-a-number"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: MUTUAL_DEV_GUILD_ID must be a numeric Discord id (digits only)"
    ]


def test_check_content_passes_on_shipped_content(tmp_path: Path) -> None:
    result = run_cli("check-content", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content OK" in result.stdout


def test_check_content_reports_a_broken_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    (content / "discussions" / "broken.toml").write_text(
        '[[guide]]\nid = "g"\ntopic = "trust"\nquestions = ["only one"]\n', encoding="utf-8"
    )
    result = run_cli("check-content", "--path", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "discussions/broken.toml: guide[0].title: is required" in result.stdout
    assert (
        "discussions/broken.toml: guide[0].questions: must have 2 to 5 entries, has 1"
        in result.stdout
    )


def test_backup_command_writes_a_copy(tmp_path: Path) -> None:
    import sqlite3

    db_path = tmp_path / "data" / "mutual.db"
    db_path.parent.mkdir()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (42)")
    conn.commit()
    conn.close()
    result = run_cli("backup", str(tmp_path / "copy.db"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT x FROM t").fetchall() == [(42,)]
    copy.close()


def test_run_refuses_a_database_from_a_newer_version(tmp_path: Path) -> None:
    import sqlite3

    database = tmp_path / "data" / "mutual.db"
    database.parent.mkdir()
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = run_cli("run", cwd=tmp_path, env={"DISCORD_TOKEN": "unused"})
    assert result.returncode == 1
    assert "schema version 999" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_names_the_file_and_field_of_broken_content(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    (content / "prompts" / "zz-broken.toml").write_text(
        '[[prompt]]\nid = "broken-1"\ntopic = "trust"\n', encoding="utf-8"
    )
    result = run_cli(
        "run", cwd=tmp_path, env={"DISCORD_TOKEN": "unused", "MUTUAL_CONTENT_DIR": str(content)}
    )
    assert result.returncode == 1
    assert "prompts/zz-broken.toml: prompt[0].text: is required" in result.stderr
    assert "Traceback" not in result.stderr
