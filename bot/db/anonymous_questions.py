"""Storage for anonymous questions, blocks and question times (plain SQL).

Every member-related column is a keyed hash (see bot/services/privacy.py); no raw id is stored.
What one member's keys find of these rows, for /mydata, is in bot/db/question_personal_data.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.discussions import from_db, to_db
from bot.db.shards import ShardSet, shard_filter
from bot.db.storage import Queries, Row, Storage


@dataclass(frozen=True)
class QuestionRow:
    id: int
    discussion_id: int
    guild_id: int
    asker_key: str
    block_key: str
    pseudonym: str
    status: str
    text: str | None
    message_id: int | None
    review_channel_id: int | None
    review_message_id: int | None
    created_at: datetime | None


QUESTION_COLUMNS = (
    "id, discussion_id, guild_id, asker_key, block_key, pseudonym, status, text, message_id, "
    "review_channel_id, review_message_id, created_at"
)


def question_from_row(row: Row | tuple[Any, ...]) -> QuestionRow:
    """From a row of `QUESTION_COLUMNS`, in that order (a member's data can be many rows)."""
    (id_, discussion_id, guild_id, asker_key, block_key, pseudonym, status, text, message_id,
     review_channel_id, review_message_id, created_at) = row  # fmt: skip
    return QuestionRow(id_, discussion_id, guild_id, asker_key, block_key, pseudonym, status,
                       text, message_id, review_channel_id, review_message_id,
                       from_db(created_at))  # fmt: skip


# -- questions -----------------------------------------------------------------------------------


async def pseudonyms_in(db: Storage, discussion_id: int) -> dict[str, str]:
    """asker_key -> pseudonym already used in this discussion."""
    rows = await db.fetchall(
        "SELECT DISTINCT asker_key, pseudonym FROM discussion_questions WHERE discussion_id = ?",
        (discussion_id,),
    )
    return {row["asker_key"]: row["pseudonym"] for row in rows}


# Kinds of member key, in the order of `KeyedGuilds`: block keys (questions and blocks), rate
# keys (question times), reporter keys (reports).
KEY_BLOCK, KEY_RATE, KEY_REPORT = "block", "rate", "report"
KEY_KINDS = (KEY_BLOCK, KEY_RATE, KEY_REPORT)


async def note_keyed_guild(db: Queries, kind: str, guild_id: int) -> None:
    """Note that `guild_id` holds rows under member keys of `kind`, before writing the first.

    /mydata makes a member's keys only in the noted servers (migration 018), so the note comes
    first: a crash between the two leaves a note without rows, never a row /mydata cannot find.
    A note already there costs one index search."""
    await db.execute(
        """
        INSERT INTO question_data_guilds (kind, guild_id) VALUES (?, ?)
        ON CONFLICT (kind, guild_id) DO NOTHING
        """,
        (kind, guild_id),
    )


async def add_question(
    db: Storage,
    *,
    discussion_id: int,
    guild_id: int,
    asker_key: str,
    block_key: str,
    pseudonym: str,
    status: str,
    text: str | None,
    now: datetime,
) -> int:
    await note_keyed_guild(db, KEY_BLOCK, guild_id)
    return await db.insert(
        """
        INSERT INTO discussion_questions (discussion_id, guild_id, asker_key, block_key, pseudonym,
            status, text, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (discussion_id, guild_id, asker_key, block_key, pseudonym, status, text, to_db(now)),
    )


async def delete_question(db: Storage, question_id: int) -> None:
    await db.execute("DELETE FROM discussion_questions WHERE id = ?", (question_id,))


async def get_question(db: Storage, question_id: int) -> QuestionRow | None:
    row = await db.fetchone(
        f"SELECT {QUESTION_COLUMNS} FROM discussion_questions WHERE id = ?", (question_id,)
    )
    return question_from_row(row) if row else None


async def questions_with_status(
    db: Storage, guild_id: int, status: str, *, limit: int = 25
) -> list[QuestionRow]:
    rows = await db.fetchall(
        f"""
        SELECT {QUESTION_COLUMNS} FROM discussion_questions
        WHERE guild_id = ? AND status = ? ORDER BY id DESC LIMIT ?
        """,
        (guild_id, status, limit),
    )
    return [question_from_row(row) for row in rows]


async def claim_question(
    db: Storage, question_id: int, *, from_status: str, to_status: str, now: datetime
) -> bool:
    """Move a question between states exactly once; two facilitators clicking race safely."""
    changed = await db.execute(
        """
        UPDATE discussion_questions SET status = ?, decided_at = ?,
            text = CASE WHEN ? = 'relaying' THEN text ELSE NULL END
        WHERE id = ? AND status = ?
        """,
        (to_status, to_db(now), to_status, question_id, from_status),
    )
    return changed == 1


async def finish_relay(db: Storage, question_id: int, message_id: int) -> None:
    await db.execute(
        """
        UPDATE discussion_questions SET status = 'relayed', message_id = ?, text = NULL
        WHERE id = ?
        """,
        (message_id, question_id),
    )


async def interrupted_relays(db: Storage, shards: ShardSet | None = None) -> list[QuestionRow]:
    """Questions claimed for relaying whose message id was never written (a stop mid-way), of
    this process's servers."""
    where, params = shard_filter(shards)
    rows = await db.fetchall(
        f"SELECT {QUESTION_COLUMNS} FROM discussion_questions WHERE status = 'relaying'{where} "
        "ORDER BY id",
        params,
    )
    return [question_from_row(row) for row in rows]


async def relayed_message_ids(db: Storage, discussion_id: int) -> set[int]:
    rows = await db.fetchall(
        "SELECT message_id FROM discussion_questions "
        "WHERE discussion_id = ? AND message_id IS NOT NULL",
        (discussion_id,),
    )
    return {int(row[0]) for row in rows}


async def forget_question_time(db: Storage, guild_id: int, rate_key: str, at: datetime) -> None:
    await db.execute(
        "DELETE FROM anonymous_question_times WHERE guild_id = ? AND rate_key = ? AND asked_at = ?",
        (guild_id, rate_key, to_db(at)),
    )


async def set_review_message(
    db: Storage, question_id: int, channel_id: int, message_id: int
) -> None:
    await db.execute(
        """
        UPDATE discussion_questions SET review_channel_id = ?, review_message_id = ? WHERE id = ?
        """,
        (channel_id, message_id, question_id),
    )


async def expire_pending(db: Storage, discussion_id: int, now: datetime) -> list[QuestionRow]:
    """Questions still waiting when a discussion closes: their text is dropped."""
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            f"""
            SELECT {QUESTION_COLUMNS} FROM discussion_questions
            WHERE discussion_id = ? AND status = 'pending'
            """,
            (discussion_id,),
        )
        await tx.execute(
            """
            UPDATE discussion_questions SET status = 'expired', text = NULL, decided_at = ?
            WHERE discussion_id = ? AND status = 'pending'
            """,
            (to_db(now), discussion_id),
        )
    return [question_from_row(row) for row in rows]


async def question_counts(db: Storage, discussion_id: int) -> tuple[int, int]:
    """(questions relayed, distinct pseudonyms among them)."""
    row = await db.fetchone(
        """
        SELECT COUNT(*), COUNT(DISTINCT asker_key) FROM discussion_questions
        WHERE discussion_id = ? AND status = 'relayed'
        """,
        (discussion_id,),
    )
    return (int(row[0]), int(row[1])) if row else (0, 0)


async def forget_decided_before(db: Storage, cutoff: datetime) -> int:
    """Drop question records of discussions closed before `cutoff`; blocks stay."""
    return await db.execute(
        """
        DELETE FROM discussion_questions WHERE status != 'pending' AND discussion_id IN (
            SELECT id FROM discussions WHERE state = 'closed' AND closed_at < ?
        )
        """,
        (to_db(cutoff),),
    )


# -- blocks and question times -----------------------------------------------------------------


async def add_block(db: Storage, guild_id: int, block_key: str, now: datetime) -> None:
    await note_keyed_guild(db, KEY_BLOCK, guild_id)
    await db.execute(
        """
        INSERT INTO anonymous_blocks (guild_id, block_key, created_at) VALUES (?, ?, ?)
        ON CONFLICT (guild_id, block_key) DO NOTHING
        """,
        (guild_id, block_key, to_db(now)),
    )


async def is_blocked(db: Storage, guild_id: int, block_key: str) -> bool:
    found = await db.fetchval(
        "SELECT 1 FROM anonymous_blocks WHERE guild_id = ? AND block_key = ?",
        (guild_id, block_key),
    )
    return found is not None


async def recent_question_count(
    db: Storage, guild_id: int, rate_key: str, window_start: datetime
) -> int:
    """Drop times that left the window (for everyone), then count this member's in it."""
    async with db.transaction() as tx:
        await tx.execute(
            "DELETE FROM anonymous_question_times WHERE asked_at <= ?", (to_db(window_start),)
        )
        row = await tx.fetchone(
            """
            SELECT COUNT(*) FROM anonymous_question_times
            WHERE guild_id = ? AND rate_key = ? AND asked_at > ?
            """,
            (guild_id, rate_key, to_db(window_start)),
        )
        return int(row[0]) if row else 0


async def add_question_time(db: Storage, guild_id: int, rate_key: str, now: datetime) -> None:
    await note_keyed_guild(db, KEY_RATE, guild_id)
    await db.execute(
        "INSERT INTO anonymous_question_times (guild_id, rate_key, asked_at) VALUES (?, ?, ?)",
        (guild_id, rate_key, to_db(now)),
    )


async def earliest_question_time(
    db: Storage, guild_id: int, rate_key: str, window_start: datetime
) -> datetime | None:
    value = await db.fetchval(
        """
        SELECT MIN(asked_at) FROM anonymous_question_times
        WHERE guild_id = ? AND rate_key = ? AND asked_at > ?
        """,
        (guild_id, rate_key, to_db(window_start)),
    )
    return from_db(value)


# -- reports -----------------------------------------------------------------------------------


async def add_report(
    db: Storage, question_id: int, guild_id: int, reporter_key: str, now: datetime
) -> tuple[bool, int]:
    """(whether this reporter is new for the question, the question's distinct reporters)."""
    async with db.transaction() as tx:
        await note_keyed_guild(tx, KEY_REPORT, guild_id)
        added = await tx.execute(
            """
            INSERT INTO question_reports (question_id, guild_id, reporter_key, created_at)
            VALUES (?, ?, ?, ?) ON CONFLICT (question_id, reporter_key) DO NOTHING
            """,
            (question_id, guild_id, reporter_key, to_db(now)),
        )
        row = await tx.fetchone(
            "SELECT COUNT(*) FROM question_reports WHERE question_id = ?", (question_id,)
        )
    return added == 1, int(row[0]) if row else 0


async def reported_questions(
    db: Storage, guild_id: int, *, limit: int = 10
) -> list[tuple[QuestionRow, int]]:
    """Relayed questions members reported, most reported first, with their reporter counts."""
    columns = ", ".join(f"q.{c.strip()}" for c in QUESTION_COLUMNS.split(","))
    rows = await db.fetchall(
        f"""
        SELECT {columns}, COUNT(r.reporter_key) AS reports
        FROM question_reports AS r JOIN discussion_questions AS q ON q.id = r.question_id
        WHERE r.guild_id = ? AND q.status = 'relayed'
        GROUP BY q.id ORDER BY reports DESC, q.id DESC LIMIT ?
        """,
        (guild_id, limit),
    )
    return [(question_from_row(tuple(row)[:-1]), int(row[-1])) for row in rows]
