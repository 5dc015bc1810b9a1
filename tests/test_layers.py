"""Which code may import which: production code never needs the stand-in, so it ships without
it; the stand-in may use the bot's pointer at another API base, nothing more of the bot. Storage
knows nothing of the services built on it, and features reach storage only through services."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_bot_and_its_features_never_import_the_stand_in() -> None:
    for folder in ("bot", "cogs"):
        for path, names in imports(folder).items():
            leaked = {n for n in names if n == "standin" or n.startswith("standin.")}
            if path == "bot/cli/running.py":
                leaked -= {"standin.console"}  # `python -m bot sandbox`, behind its extra
            assert not leaked, f"{path} imports {leaked}"


def test_storage_never_imports_the_services_built_on_it() -> None:
    for path, names in imports("bot/db").items():
        upward = {n for n in names if n == "bot.services" or n.startswith("bot.services.")}
        assert not upward, f"{path} imports {upward}"


def test_features_reach_storage_only_through_services() -> None:
    for path, names in imports("cogs").items():
        direct = {n for n in names if n == "bot.db" or n.startswith("bot.db.")}
        assert not direct, f"{path} imports {direct}"


# The console and its session run Mutual itself against the stand-in; the stand-in proper (server,
# gateway, REST, harness) is a Discord, and knows nothing of the bot it serves.
RUNS_MUTUAL = {"standin/console.py", "standin/session.py"}


def test_the_stand_in_proper_uses_only_the_api_pointer_of_the_bot() -> None:
    for path, names in imports("standin").items():
        from_bot = {n for n in names if n == "bot" or n.startswith("bot.")}
        if path not in RUNS_MUTUAL:
            assert from_bot <= {"bot.api_base"}, f"{path} imports {from_bot}"


def test_without_the_extra_the_sandbox_command_says_how_to_get_it() -> None:
    blocker = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'jsonschema' or name.startswith('jsonschema.'):\n"
        "            raise ModuleNotFoundError(\"No module named 'jsonschema'\", name='jsonschema')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from bot.__main__ import main\n"
        "sys.exit(main(['sandbox']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocker], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert "pip install -e '.[standin]'" in result.stderr
    assert "Traceback" not in result.stderr
