"""Deletions beyond a member's own /mydata delete: a member erased on the operator's word, a
server's discussion data deleted whole, saved history past its retention, and the checkpoint that
keeps deleted rows from lingering in the write-ahead log."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.db.storage import Pair, Storage, pair_chunks

log = logging.getLogger(__name__)

_DISCUSSION_TABLES = (
    "question_reports",
    "anonymous_question_times",
    "anonymous_blocks",
    "discussion_questions",
    "discussions",
    "question_data_guilds",
)


async def forget_discussions(db: Storage, guild_id: int) -> int:
    """Every discussion, question, block, question time and report of one server, and its notes
    in `question_data_guilds`; rows removed."""
    removed = 0
    async with db.transaction() as tx:
        for table in _DISCUSSION_TABLES:
            removed += await tx.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
    return removed


async def erase_question_keys(
    db: Storage,
    blocks: Sequence[Pair],
    rates: Sequence[Pair],
    reports: Sequence[Pair],
) -> int:
    """A member's (guild, key) pairs of each kind: waiting questions are deleted; decided ones
    stay in their thread's record but lose both keys, as after a new secret; blocks, question
    times and the member's reports go. Five statements for all the servers together (per chunk,
    see `pair_chunks`), each server one search of its table's server index, where there were
    five per server; returns the rows changed."""
    # (table, its guild and key columns, what is done to the rows found, which pairs)
    steps: tuple[tuple[str, str, str, Sequence[Pair]], ...] = (
        (
            "discussion_questions",
            "block_key",
            "DELETE FROM {t} WHERE status = 'pending' AND",
            blocks,
        ),
        (
            "discussion_questions",
            "block_key",
            "UPDATE {t} SET asker_key = '', block_key = '' WHERE",
            blocks,
        ),
        ("anonymous_blocks", "block_key", "DELETE FROM {t} WHERE", blocks),
        ("anonymous_question_times", "rate_key", "DELETE FROM {t} WHERE", rates),
        ("question_reports", "reporter_key", "DELETE FROM {t} WHERE", reports),
    )
    changed = 0
    async with db.transaction() as tx:
        for table, key, action, pairs in steps:
            for chunk in pair_chunks(db, pairs):
                wanted, params = tx.pairs_table("wanted", chunk)
                changed += await tx.execute(
                    f"{action.format(t=table)} (guild_id, {key}) IN "
                    f"(WITH {wanted} SELECT guild_id, member_key FROM wanted)",
                    params,
                )
    return changed


async def prune_history(db: Storage, before_day: str) -> int:
    """Saved self-check results taken before `before_day` (YYYY-MM-DD); rows removed."""
    return await db.execute("DELETE FROM selfcheck_history WHERE taken_on < ?", (before_day,))
