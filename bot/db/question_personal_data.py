"""A member's anonymous-question data, found by (server, keyed hash) pairs: which servers hold
rows of each kind of key, so keys are made only there, and what /mydata shows, exports and
deletes of it.

A member's rows carry a key per server (see bot/services/privacy.py), so they are looked up as a
list of pairs, each one index search; the storage seam writes that list in each dialect's way
(`Storage.pairs_table`). Erasure on the operator's word is in bot/db/erasure.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.db.anonymous_questions import (
    KEY_KINDS,
    QUESTION_COLUMNS,
    QuestionRow,
    question_from_row,
)
from bot.db.storage import Pair, Storage, pair_chunks


def _guilds_of(table: str, name: str, where: str = "") -> str:
    """A recursive CTE `name(guild_id)` listing the servers with rows in `table` by one index
    search per server (a skip scan written out; neither database skips on its own), not a read
    of every row. `where` narrows the rows, and the partial index it matches is the one used."""
    also = f" AND {where}" if where else ""
    first = f" WHERE {where}" if where else ""
    return f"""{name}(guild_id) AS (
            SELECT MIN(guild_id) FROM {table}{first}
            UNION ALL
            SELECT (SELECT MIN(x.guild_id) FROM {table} AS x
                    WHERE x.guild_id > {name}.guild_id{also})
            FROM {name} WHERE {name}.guild_id IS NOT NULL
        )"""


@dataclass(frozen=True)
class KeyedGuilds:
    """The servers holding rows under each kind of member key, so a member's keys are made only
    where a row could match them: block keys (questions and blocks), rate keys (question times)
    and reporter keys (reports)."""

    blocks: list[int]
    rates: list[int]
    reports: list[int]


async def keyed_guilds(db: Storage) -> KeyedGuilds:
    """Which servers hold question data of each kind: one read of the servers' notes
    (`anonymous_questions.note_keyed_guild`)."""
    rows = await db.fetchall("SELECT kind, guild_id FROM question_data_guilds")
    found: dict[str, list[int]] = {kind: [] for kind in KEY_KINDS}
    for kind, guild_id in rows:
        found[str(kind)].append(int(guild_id))
    return KeyedGuilds(*(sorted(found[kind]) for kind in KEY_KINDS))


async def question_guilds(db: Storage) -> list[int]:
    """Servers holding any question data."""
    found = await keyed_guilds(db)
    return sorted({*found.blocks, *found.rates, *found.reports})


async def pending_guilds(db: Storage) -> list[int]:
    """Servers with questions waiting for review (a search of the pending index per server)."""
    rows = await db.fetchall(
        f"""
        WITH RECURSIVE {_guilds_of("discussion_questions", "waiting", "status = 'pending'")}
        SELECT guild_id FROM waiting WHERE guild_id IS NOT NULL
        """
    )
    return [int(row[0]) for row in rows]


async def questions_for_block_keys(db: Storage, pairs: Sequence[Pair]) -> list[QuestionRow]:
    """One statement (per chunk, see `pair_chunks`): each (guild, key) pair is one search of the
    (guild_id, block_key) index, not a scan of it for keys in a list."""
    columns = ", ".join(f"q.{c.strip()}" for c in QUESTION_COLUMNS.split(","))
    found: list[QuestionRow] = []
    for chunk in pair_chunks(db, pairs):
        wanted, params = db.pairs_table("wanted", chunk)
        rows = await db.fetchall(
            f"""
            WITH {wanted}
            SELECT {columns} FROM wanted
            JOIN discussion_questions AS q
              ON q.guild_id = wanted.guild_id AND q.block_key = wanted.member_key
            """,
            params,
        )
        found += [question_from_row(row) for row in rows]
    return found


@dataclass(frozen=True)
class MemberCounts:
    """What /mydata shows of a member's question data: counts only, never a text."""

    pending: int
    decided: int
    blocked_servers: int
    question_times: int
    reports: int


async def member_counts(
    db: Storage,
    blocks: Sequence[Pair],
    rates: Sequence[Pair],
    reports: Sequence[Pair],
) -> MemberCounts:
    """Everything /mydata counts, in one statement (per chunk, see `pair_chunks`): each (guild,
    key) pair is one index search per table, and no row of the member's is read out."""
    counts = [0, 0, 0, 0, 0]  # pending, all questions, blocks, question times, reports
    block_chunks, rate_chunks, report_chunks = (
        pair_chunks(db, p) for p in (blocks, rates, reports)
    )
    for at in range(max(len(block_chunks), len(rate_chunks), len(report_chunks))):
        parts = [
            db.pairs_table(name, chunks[at] if at < len(chunks) else ())
            for name, chunks in (("b", block_chunks), ("r", rate_chunks), ("p", report_chunks))
        ]
        row = await db.fetchone(
            f"""
            WITH {", ".join(sql for sql, _ in parts)}
            SELECT asked.pending, asked.total, blocked.n, timed.n, reported.n
            FROM (SELECT COALESCE(SUM(CASE WHEN q.status = 'pending' THEN 1 ELSE 0 END), 0)
                         AS pending, COUNT(*) AS total
                  FROM b JOIN discussion_questions AS q
                    ON q.guild_id = b.guild_id AND q.block_key = b.member_key) AS asked,
                 (SELECT COUNT(*) AS n FROM b JOIN anonymous_blocks AS x
                    ON x.guild_id = b.guild_id AND x.block_key = b.member_key) AS blocked,
                 (SELECT COUNT(*) AS n FROM r JOIN anonymous_question_times AS t
                    ON t.guild_id = r.guild_id AND t.rate_key = r.member_key) AS timed,
                 (SELECT COUNT(*) AS n FROM p JOIN question_reports AS y
                    ON y.guild_id = p.guild_id AND y.reporter_key = p.member_key) AS reported
            """,
            [value for _, params in parts for value in params],
        )
        if row is not None:
            counts = [total + int(value) for total, value in zip(counts, row, strict=True)]
    pending, asked, blocked, timed, reported = counts
    return MemberCounts(pending, asked - pending, blocked, timed, reported)


async def delete_pending_for(db: Storage, pairs: Sequence[Pair]) -> int:
    """The waiting questions asked under the given (guild, block key) pairs; rows removed."""
    removed = 0
    for chunk in pair_chunks(db, pairs):
        wanted, params = db.pairs_table("wanted", chunk)
        removed += await db.execute(
            f"""
            DELETE FROM discussion_questions WHERE status = 'pending' AND id IN (
                WITH {wanted}
                SELECT q.id FROM wanted JOIN discussion_questions AS q
                  ON q.guild_id = wanted.guild_id AND q.block_key = wanted.member_key
            )
            """,
            params,
        )
    return removed


async def blocks_for(db: Storage, pairs: Sequence[Pair]) -> list[int]:
    """Guild ids (of the given guild/key pairs) that hold a block, in one statement per chunk."""
    found: list[int] = []
    for chunk in pair_chunks(db, pairs):
        wanted, params = db.pairs_table("wanted", chunk)
        rows = await db.fetchall(
            f"""
            WITH {wanted}
            SELECT b.guild_id FROM wanted JOIN anonymous_blocks AS b
              ON b.guild_id = wanted.guild_id AND b.block_key = wanted.member_key
            """,
            params,
        )
        found += [int(row[0]) for row in rows]
    return found
