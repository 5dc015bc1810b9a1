"""A database filled as a server a year old fills it, for benchmarks that read what members keep.

Sizes are those a year of use leaves on a busy instance: 1,000 servers with a year of
self-check counts (about 1,000,000 rows of per-day counts and sums), opt-in history for many
members, and anonymous questions in every server. The members a benchmark acts as get their own
data on top: `history` saved results each, and questions (one pending or answered per server,
recent question times in some, a block in every tenth) in `question_servers` servers, so
`/mydata` has something in each of them. Keys are made with the benchmark's secret, exactly as
the bot makes them, so the bot finds these rows as its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

import asyncpg

from bot.db import open_storage
from bot.services.discussions.questions import block_scope, discussion_scope
from bot.services.discussions.ratelimit import rate_scope
from bot.services.privacy import KeyedHasher
from bot.services.selfcheck.history import HISTORY_SCOPE

SERVERS = 1_000
DAYS = 365
HISTORY = 500
OTHER_MEMBERS = 2_000  # with 20 saved results each, beside the measured members
QUESTIONS_PER_SERVER = 10  # asked by other members
FIRST_SERVER = 7 * 10**17


def servers(count: int, first: Sequence[int] = ()) -> list[int]:
    """`count` server ids, starting with `first` (the stand-in's own server, say)."""
    extra = [FIRST_SERVER + n for n in range(count - len(first))]
    return [*first, *extra][:count]


def fill(
    path: Path,
    secret: bytes,
    dimensions: dict[str, list[str]],
    *,
    today: date,
    guilds: Sequence[int],
    members: Sequence[int] = (),
    question_servers: int = SERVERS,
    history: int = HISTORY,
    days: int = DAYS,
    url: str | None = None,
) -> dict[str, int]:
    """Migrate the database and fill it; returns how many rows went into each part.

    The SQLite file at `path`, or the PostgreSQL database at `url` when one is given: the rows
    are the same, only the bulk path differs (executemany in one SQLite transaction, COPY on
    PostgreSQL).
    """

    async def migrate() -> None:
        db = await open_storage(path, url)
        await db.migrate()
        await db.close()

    asyncio.run(migrate())
    writer: Writer = PostgresWriter(url) if url else SqliteWriter(path)
    try:
        return _fill(writer, secret, dimensions, today, guilds, members, question_servers,
                     history, days)  # fmt: skip
    finally:
        writer.close()


def _fill(
    writer: Writer,
    secret: bytes,
    dimensions: dict[str, list[str]],
    today: date,
    guilds: Sequence[int],
    members: Sequence[int],
    question_servers: int,
    history: int,
    days: int,
) -> dict[str, int]:
    hasher = KeyedHasher(secret)
    rng = random.Random(13)
    instruments = sorted(dimensions)
    counts: dict[str, int] = {}
    completions, sums = [], []
    for g_index, guild in enumerate(guilds):
        for back in range(days):
            if rng.random() > 0.6:
                continue
            instrument = instruments[(g_index + back) % len(instruments)]
            day = (today - timedelta(days=back)).isoformat()
            done = rng.randint(1, 12)
            completions.append((guild, instrument, day, done))
            sums += [(guild, instrument, day, dim, done * rng.randint(0, 100), done)
                     for dim in dimensions[instrument]]  # fmt: skip
    writer.rows("selfcheck_completions", ("guild_id", "instrument", "day", "completions"),
                completions)  # fmt: skip
    writer.rows("selfcheck_dimension_sums",
                ("guild_id", "instrument", "day", "dimension", "total", "answered"), sums)  # fmt: skip
    counts["counts"] = len(completions) + len(sums)

    saved = []
    owners = [(user, history) for user in members]
    owners += [(10**16 + n, 20) for n in range(OTHER_MEMBERS)]
    for user, results in owners:
        key = hasher.key(HISTORY_SCOPE, user)
        for n in range(results):
            instrument = instruments[n % len(instruments)]
            scores = {dim: rng.randint(0, 100) for dim in dimensions[instrument]}
            taken = (today - timedelta(days=(results - n) * days // max(results, 1))).isoformat()
            saved.append((key, instrument, taken, f"s{n}", json.dumps(scores, sort_keys=True)))
    writer.rows("selfcheck_history",
                ("member_key", "instrument", "taken_on", "save_token", "scores"), saved)  # fmt: skip
    counts["history"] = len(saved)

    # One open discussion in every server; the questions' keys are made with its id.
    asked = (today - timedelta(days=1)).isoformat() + "T12:00:00Z"
    writer.rows(
        "discussions",
        ("guild_id", "channel_id", "thread_id", "state", "source_kind", "source_id", "title",
         "duration_minutes", "opened_at", "close_at"),
        [(guild, guild + 1, guild + 2, "open", "topic", "trust", "Trust", 60, asked,
          asked.replace("12:", "13:")) for guild in guilds],
    )  # fmt: skip
    discussion_of = writer.discussions()
    questions, blocks, times = [], [], []
    for g_index, guild in enumerate(guilds):
        discussion = discussion_of[guild]
        askers = [10**15 + rng.randrange(10**6) for _ in range(QUESTIONS_PER_SERVER)]
        if g_index < question_servers:
            askers += members
        for n, user in enumerate(askers):
            status = "pending" if n % 2 else "relayed"
            questions.append((discussion, guild, hasher.key(discussion_scope(discussion), user),
                              hasher.key(block_scope(guild), user), f"Guest {n}", status,
                              "A question I would like to ask." if status == "pending" else None,
                              asked))  # fmt: skip
            if n % 3 == 0:
                times.append((guild, hasher.key(rate_scope(guild), user), asked))
            if g_index % 10 == 0 and n == len(askers) - 1:
                blocks.append((guild, hasher.key(block_scope(guild), user), asked))
    writer.rows(
        "discussion_questions",
        ("discussion_id", "guild_id", "asker_key", "block_key", "pseudonym", "status", "text",
         "created_at"),
        questions,
    )  # fmt: skip
    # One block per (server, member): a member may close more than one list.
    writer.rows("anonymous_blocks", ("guild_id", "block_key", "created_at"),
                list({(g, k): (g, k, at) for g, k, at in blocks}.values()))  # fmt: skip
    writer.rows("anonymous_question_times", ("guild_id", "rate_key", "asked_at"), times)
    # The servers' notes, as the bot writes them before each first row of a kind.
    noted = {("block", row[1]) for row in questions} | {("block", row[0]) for row in blocks}
    noted |= {("rate", row[0]) for row in times}
    writer.rows("question_data_guilds", ("kind", "guild_id"), sorted(noted))
    counts["questions"] = len(questions)
    writer.commit()
    return counts


class Writer(Protocol):
    """Where the rows go: bulk inserts by table, and the discussions' ids once inserted."""

    def rows(self, table: str, columns: Sequence[str], values: list[tuple[Any, ...]]) -> None: ...
    def discussions(self) -> dict[int, int]: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


class SqliteWriter:
    """Plain sqlite3 in one transaction: far faster than the bot's own connection for a fill."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def rows(self, table: str, columns: Sequence[str], values: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
        )

    def discussions(self) -> dict[int, int]:
        return {g: i for i, g in self.conn.execute("SELECT id, guild_id FROM discussions")}

    def commit(self) -> None:
        self.conn.commit()
        # Settled, as a year-old file is: the fill written back from the log before measuring.
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.conn.close()


class PostgresWriter:
    """COPY on one asyncpg connection, driven from this (plain) code by a loop of its own;
    VACUUM ANALYZE at the end, as a year-old database has been vacuumed and analysed: without
    it the planner guesses the tables' sizes and no index-only scan skips the heap. Then a
    CHECKPOINT (where the role may), so the fill is on disk before anything is timed."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.conn: asyncpg.Connection = self.loop.run_until_complete(asyncpg.connect(url))

    def rows(self, table: str, columns: Sequence[str], values: list[tuple[Any, ...]]) -> None:
        if values:
            self.loop.run_until_complete(
                self.conn.copy_records_to_table(table, records=values, columns=list(columns))
            )

    def discussions(self) -> dict[int, int]:
        found = self.loop.run_until_complete(
            self.conn.fetch("SELECT id, guild_id FROM discussions")
        )
        return {int(row["guild_id"]): int(row["id"]) for row in found}

    def commit(self) -> None:
        self.loop.run_until_complete(self.conn.execute("VACUUM ANALYZE"))
        # Settled, as a year-old server is: without this the fill's dirty pages are written out
        # by the checkpointer while the flows are timed, and every flow pays for it.
        # A role without the right leaves it to the server's own checkpoints.
        with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
            self.loop.run_until_complete(self.conn.execute("CHECKPOINT"))

    def close(self) -> None:
        self.loop.run_until_complete(self.conn.close())
        self.loop.close()
