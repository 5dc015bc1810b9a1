"""`python -m bot sandbox`: try Mutual on this machine, no Discord account needed.

It starts the Discord stand-in with the demo server (#general, #reflections, #mod-log, the forum
#discussions; "mod" who may manage the server, members "alice" and "bob"), logs the real
MutualBot in to it on a throwaway database, and lets a person type what members do in Discord.
`--script FILE` plays the same lines unattended and fails on anything a member would have met as
a bug: an answer that never came, a body Discord would refuse, an error in the bot's log, a
crash, or a failed `expect`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import sys
import tempfile
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.app import MutualBot
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from standin.harness import Sandbox
from standin.session import ErrorLog, Result, Session

SCRIPTS = Path(__file__).resolve().parent / "scripts"
WALKTHROUGH = SCRIPTS / "walkthrough.txt"
BANNER = """\
Mutual sandbox: a stand-in for Discord on this machine, with the server "Mutual Demo"
(#general, #reflections, #mod-log, forum #discussions) and the people mod, alice and bob.
Nothing here reaches Discord; the database is thrown away when you quit.
Type `help` for what you can do, for example:  as alice: /about"""


def main(script: str | None = None) -> int:
    """Run the console (or a script); the exit status is 0 only if nothing failed."""
    lines: list[str] | None = None
    if script is not None:
        path = Path(script)
        if not path.is_file():
            print(f"No script at {path}", file=sys.stderr)
            return 2
        lines = path.read_text(encoding="utf-8").splitlines()
    errors = _setup_logging()
    try:
        return asyncio.run(_main(lines, errors))
    except KeyboardInterrupt:
        return 130


def _setup_logging() -> ErrorLog:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    # The console reports each stand-in failure itself, with the step that caused it.
    logging.getLogger("standin.server").setLevel(logging.ERROR)
    # discord.py's start-up chatter (voice support, gateway session) is not about Mutual.
    logging.getLogger("discord").setLevel(logging.WARNING)
    logging.getLogger("discord.client").setLevel(logging.ERROR)
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    return errors


def sandbox_settings(folder: Path) -> Settings:
    """Settings for a throwaway bot: its own database and secret, the shipped content."""
    return Settings(
        token="sandbox-token",
        database_path=folder / "mutual.db",
        secret=secrets.token_hex(32).encode(),
        content_dir=DEFAULT_CONTENT_DIR,
        dev_guild_id=None,
        log_level="WARNING",
        prompt_grace_hours=6.0,
        send_rate_per_second=45.0,
        send_concurrency=8,
        api_base=None,
    )


async def _main(lines: list[str] | None, errors: ErrorLog) -> int:
    with tempfile.TemporaryDirectory(prefix="mutual-sandbox-") as folder:
        clock = FakeClock(datetime.now(UTC))
        sandbox = Sandbox(MutualBot(sandbox_settings(Path(folder)), clock=clock))
        try:
            await sandbox.start()
        except Exception as exc:
            print(f"The sandbox could not start: {exc!r}", file=sys.stderr)
            await sandbox.stop()
            return 1
        try:
            session = Session(sandbox, clock, errors)
            startup = session.take_problems()
            if lines is None:
                return await interactive(session, startup)
            return await play(session, lines, startup)
        finally:
            await sandbox.stop()


def _print_result(result: Result, out: TextIO, prefix: str = "") -> None:
    for line in result.output:
        print(f"{prefix}{line}".rstrip(), file=out)
    for problem in result.problems:
        print(f"{prefix}!! {problem}", file=out)


async def play(
    session: Session, lines: Iterable[str], startup: list[str], out: TextIO = sys.stdout
) -> int:
    """Play a script, printing each step and its output; 1 if any step had a problem."""
    failed = [f"start-up: {p}" for p in startup]
    for problem in failed:
        print(f"!! {problem}", file=out)
    steps = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            print(line, file=out)
            continue
        steps += 1
        print(f"> {line}", file=out)
        result = await session.run(line)
        _print_result(result, out, "  ")
        failed += [f"line {number} ({line}): {p}" for p in result.problems]
        out.flush()
        if result.quit:
            break
    await session.sandbox.settle()
    failed += [f"after the script: {p}" for p in session.take_problems()]
    print(file=out)
    if failed:
        print(f"FAILED: {len(failed)} problem(s) in {steps} step(s):", file=out)
        for problem in failed:
            print(f"  {problem}", file=out)
        return 1
    print(f"OK: {steps} step(s), no problems.", file=out)
    return 0


async def interactive(session: Session, startup: list[str]) -> int:
    """Read lines from the terminal until `quit` or end of input."""
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (arrow keys and history for input())
    print(BANNER)
    for problem in startup:
        print(f"!! start-up: {problem}")
    while True:
        line = await read_line(session.prompt())
        if line is None:
            print()
            return 0
        result = await session.run(line)
        _print_result(result, sys.stdout)
        if result.quit:
            return 0


async def read_line(prompt: str) -> str | None:
    """One line from the terminal (None at end of input), read on a daemon thread so that
    quitting never waits for a pending `input()`."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def deliver(text: str | None) -> None:
        if not future.done():
            future.set_result(text)

    def read() -> None:
        try:
            text: str | None = input(prompt)
        except (EOFError, KeyboardInterrupt):
            text = None
        loop.call_soon_threadsafe(deliver, text)

    threading.Thread(target=read, name="sandbox-input", daemon=True).start()
    return await future
