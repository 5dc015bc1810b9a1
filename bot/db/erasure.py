"""Deletions beyond a member's own /mydata delete: a member erased on the operator's word, a
server's discussion data deleted whole, saved history past its retention, and the checkpoint that
keeps deleted rows from lingering in the write-ahead log."""

from __future__ import annotations

import logging

from bot.db.connection import Storage

log = logging.getLogger(__name__)

_DISCUSSION_TABLES = (
    "question_reports",
    "anonymous_question_times",
    "anonymous_blocks",
    "discussion_questions",
    "discussions",
)


async def forget_discussions(db: Storage, guild_id: int) -> int:
    """Every discussion, question, block and question time of one server; rows removed."""
    removed = 0
    async with db.transaction() as tx:
        for table in _DISCUSSION_TABLES:
            removed += await tx.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
    return removed


async def erase_question_keys(db: Storage, pairs: list[tuple[int, str, str, str]]) -> int:
    """(guild, block key, rate key, report key) per server: waiting questions are deleted;
    decided ones stay in their thread's record but lose both keys, as after a new secret;
    blocks, question times and the member's reports go. Returns the rows changed."""
    changed = 0
    async with db.transaction() as tx:
        for guild_id, block_key, rate_key, report_key in pairs:
            changed += await tx.execute(
                "DELETE FROM discussion_questions "
                "WHERE guild_id = ? AND block_key = ? AND status = 'pending'",
                (guild_id, block_key),
            )
            changed += await tx.execute(
                "UPDATE discussion_questions SET asker_key = '', block_key = '' "
                "WHERE guild_id = ? AND block_key = ?",
                (guild_id, block_key),
            )
            changed += await tx.execute(
                "DELETE FROM anonymous_blocks WHERE guild_id = ? AND block_key = ?",
                (guild_id, block_key),
            )
            changed += await tx.execute(
                "DELETE FROM anonymous_question_times WHERE guild_id = ? AND rate_key = ?",
                (guild_id, rate_key),
            )
            changed += await tx.execute(
                "DELETE FROM question_reports WHERE guild_id = ? AND reporter_key = ?",
                (guild_id, report_key),
            )
    return changed


async def prune_history(db: Storage, before_day: str) -> int:
    """Saved self-check results taken before `before_day` (YYYY-MM-DD); rows removed."""
    return await db.execute("DELETE FROM selfcheck_history WHERE taken_on < ?", (before_day,))
