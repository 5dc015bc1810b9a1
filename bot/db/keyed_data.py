"""Rows that only mean something with the secret they were keyed with, and the secret's
fingerprint. Every column holding an HMAC of a member id is listed here, so a changed secret can
be detected while such rows exist and, on the operator's word, dropped in one transaction."""

from __future__ import annotations

from bot.db.storage import Storage

FINGERPRINT_KEY = "secret_fingerprint"
_SET_FINGERPRINT = (
    "INSERT INTO instance_meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)

# (what it is, a query counting the rows that a different secret would orphan)
KEYED_ROWS: tuple[tuple[str, str], ...] = (
    ("saved self-check results", "SELECT COUNT(*) FROM selfcheck_history"),
    (
        "pending prompt suggestions",
        "SELECT COUNT(*) FROM prompt_suggestions WHERE member_key IS NOT NULL",
    ),
    ("anonymous questions", "SELECT COUNT(*) FROM discussion_questions WHERE asker_key != ''"),
    ("anonymous-question blocks", "SELECT COUNT(*) FROM anonymous_blocks"),
    ("anonymous-question rate limits", "SELECT COUNT(*) FROM anonymous_question_times"),
    ("anonymous-question reports", "SELECT COUNT(*) FROM question_reports"),
)

# Unlinks rather than deletes what others still need: a suggestion stays in the review queue
# and a question stays in its thread, neither traceable any more to the member who wrote it.
DROP_KEYED_ROWS: tuple[str, ...] = (
    "DELETE FROM selfcheck_history",
    "UPDATE prompt_suggestions SET member_key = NULL WHERE member_key IS NOT NULL",
    "UPDATE discussion_questions SET asker_key = '', block_key = '' WHERE asker_key != ''",
    "DELETE FROM anonymous_blocks",
    "DELETE FROM anonymous_question_times",
    "DELETE FROM question_reports",
    "DELETE FROM selfcheck_counted_sessions",
)


async def stored_fingerprint(db: Storage) -> str | None:
    value = await db.fetchval("SELECT value FROM instance_meta WHERE key = ?", (FINGERPRINT_KEY,))
    return None if value is None else str(value)


async def store_fingerprint(db: Storage, fingerprint: str) -> None:
    await db.execute(_SET_FINGERPRINT, (FINGERPRINT_KEY, fingerprint))


async def count_keyed_rows(db: Storage) -> dict[str, int]:
    """What a different secret would orphan, by kind; kinds with no rows are left out."""
    found: dict[str, int] = {}
    for kind, query in KEYED_ROWS:
        count = int(await db.fetchval(query) or 0)
        if count:
            found[kind] = count
    return found


async def drop_keyed_rows(db: Storage, new_fingerprint: str) -> None:
    """Drop every keyed row and record the new secret's fingerprint, all or nothing."""
    async with db.transaction() as tx:
        for statement in DROP_KEYED_ROWS:
            await tx.execute(statement)
        await tx.execute(_SET_FINGERPRINT, (FINGERPRINT_KEY, new_fingerprint))
