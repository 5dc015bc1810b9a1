"""Helpers for the data-lifecycle tests: give a member data everywhere, run the command line
against the running bot's database, and scan the database files byte by byte."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.services.discussions.questions import block_scope, discussion_scope
from bot.services.discussions.ratelimit import rate_scope
from bot.services.prompts.library import SCOPE as SUGGESTION_SCOPE
from bot.services.selfcheck.history import HISTORY_SCOPE
from standin.harness import Sandbox
from standin.people import Person
from tests.e2e.discussions_support import ask, set_mode, start
from tests.e2e.helpers import bot_of
from tests.e2e.selfcheck_support import answer_all, begin, instrument_of, private, table_rows

SUGGESTION = "What did someone close to you teach you about asking for help?"
WAITING_QUESTION = "Is it normal to feel guilty when I say no to my sister?"
RELAYED_QUESTION = "How do you all notice when you are over-giving?"


async def give_data_everywhere(sandbox: Sandbox, member: Person) -> None:
    """A saved self-check, a waiting suggestion, a relayed and a waiting anonymous question."""
    count = len(instrument_of(sandbox, "give-and-take").items)
    result = await answer_all(member, await begin(member, "give-and-take"), count, "Often")
    private(await member.click(result, "Save to my private history"))
    form = await member.slash("prompt suggest")
    assert form.modal is not None
    await member.submit_modal(form, {"The prompt": SUGGESTION})
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    await ask(member, thread, RELAYED_QUESTION)
    await sandbox.person("mod").slash("config log-channel", channel="mod-log")
    await set_mode(sandbox, "reviewed")
    await ask(member, thread, WAITING_QUESTION)


def keyed_traces(sandbox: Sandbox, user_id: int) -> list[str]:
    """Every keyed hash Mutual derives from the id, plus the stored tokens made with it."""
    hasher = bot_of(sandbox).hasher
    guild = sandbox.guild.id
    discussions = [row[0] for row in table_rows(sandbox, "SELECT id FROM discussions")]
    keys = [
        hasher.key(HISTORY_SCOPE, user_id),
        hasher.key(SUGGESTION_SCOPE, user_id),
        hasher.key(block_scope(guild), user_id),
        hasher.key(rate_scope(guild), user_id),
        *(hasher.key(discussion_scope(d), user_id) for d in discussions),
    ]
    tokens = [row[0] for row in table_rows(sandbox, "SELECT save_token FROM selfcheck_history")]
    return keys + tokens


def database_files(sandbox: Sandbox) -> list[Path]:
    path = bot_of(sandbox).settings.database_path
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def found_in_files(sandbox: Sandbox, needles: dict[str, bytes]) -> list[str]:
    """Names of the needles present in any database file (main, -wal, -shm)."""
    found = []
    for path in database_files(sandbox):
        data = path.read_bytes()
        found.extend(f"{name} in {path.name}" for name, raw in needles.items() if raw in data)
    return found


def id_needles(name: str, snowflake: int) -> dict[str, bytes]:
    """A snowflake as text and as the 8-byte big-endian integer SQLite stores."""
    return {f"{name} as text": str(snowflake).encode(), name: snowflake.to_bytes(8, "big")}


async def run_cli(sandbox: Sandbox, *args: str) -> tuple[int, str]:
    """`python -m bot ARGS` against the running bot's database, as an operator would."""
    settings = bot_of(sandbox).settings
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(
        MUTUAL_DATABASE=str(settings.database_path),
        MUTUAL_SECRET=settings.secret.decode(),
        PYTHONPATH=str(PROJECT_ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=settings.database_path.parent,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, output.decode()
