"""What /mydata shows and deletes for discussions: everything is under server-scoped keyed hashes.

A member's keys are recomputed per server that holds rows of their kind (one HMAC each), so
nothing links a member's rows across servers in the database itself. What /mydata shows is
counted in the database in one statement; the member's rows are read out only for an export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.db import Storage, erasure
from bot.db import question_personal_data as member_repo
from bot.i18n import N_, _, ngettext
from bot.services.discussions.questions import block_scope, report_scope
from bot.services.discussions.ratelimit import rate_scope
from bot.services.privacy import KeyedHasher, StoredItem

# The provider's key in /mydata's export and erasure; shown to members translated.
FEATURE = N_("Anonymous questions")


@dataclass(frozen=True)
class MemberKeys:
    """A member's (server, key) pairs of each kind, for the servers holding rows of that kind."""

    blocks: list[tuple[int, str]]
    rates: list[tuple[int, str]]
    reports: list[tuple[int, str]]


class DiscussionPersonalData:
    feature = FEATURE
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "discussion_questions": ("asker_key", "block_key", "text"),
        "anonymous_blocks": ("block_key",),
        "anonymous_question_times": ("rate_key",),
        "question_reports": ("reporter_key",),
    }
    server_tables: ClassVar[tuple[str, ...]] = (
        "discussions",
        "discussion_questions",
        "anonymous_blocks",
        "anonymous_question_times",
        "question_reports",
        "question_data_guilds",
    )

    def __init__(self, db: Storage, hasher: KeyedHasher) -> None:
        self.db = db
        self.hasher = hasher

    async def _keys(self, user_id: int) -> MemberKeys:
        """The member's keys, made only in the servers holding rows of each kind."""
        guilds = await member_repo.keyed_guilds(self.db)
        key = self.hasher.key
        return MemberKeys(
            blocks=[(g, key(block_scope(g), user_id)) for g in guilds.blocks],
            rates=[(g, key(rate_scope(g), user_id)) for g in guilds.rates],
            reports=[(g, key(report_scope(g), user_id)) for g in guilds.reports],
        )

    async def describe(self, user_id: int) -> list[StoredItem]:
        keys = await self._keys(user_id)
        counts = await member_repo.member_counts(self.db, keys.blocks, keys.rates, keys.reports)
        items: list[StoredItem] = []
        feature = _(FEATURE)
        if counts.pending:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "{count} question waiting for a facilitator's review, with its text. "
                        "Deleting removes it before anyone relays it.",
                        "{count} questions waiting for a facilitator's review, with their text. "
                        "Deleting removes them before anyone relays them.",
                        counts.pending,
                    ).format(count=counts.pending),
                )
            )
        if counts.decided:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "{count} record of questions you asked (pseudonym and status, no text), "
                        "kept until 7 days after their discussion closes so a facilitator can "
                        "still act on them. They are removed on that schedule.",
                        "{count} records of questions you asked (pseudonym and status, no text), "
                        "kept until 7 days after their discussion closes so a facilitator can "
                        "still act on them. They are removed on that schedule.",
                        counts.decided,
                    ).format(count=counts.decided),
                )
            )
        if counts.blocked_servers:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "A block on anonymous questions in {count} server. Blocks are a "
                        "moderation decision, so deleting your data keeps them; a server's "
                        "moderators can talk it through with you.",
                        "A block on anonymous questions in {count} servers. Blocks are a "
                        "moderation decision, so deleting your data keeps them; a server's "
                        "moderators can talk it through with you.",
                        counts.blocked_servers,
                    ).format(count=counts.blocked_servers),
                )
            )
        if counts.question_times:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "The time of {count} recent question, kept 10 minutes for the limit of 3 "
                        "questions per 10 minutes.",
                        "The times of {count} recent questions, kept 10 minutes for the limit of 3 "
                        "questions per 10 minutes.",
                        counts.question_times,
                    ).format(count=counts.question_times),
                )
            )
        if counts.reports:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "{count} report you made of an anonymous question, kept without your "
                        "name until the question's record is removed.",
                        "{count} reports you made of anonymous questions, kept without your "
                        "name until the questions' records are removed.",
                        counts.reports,
                    ).format(count=counts.reports),
                )
            )
        return items

    async def delete(self, user_id: int) -> int:
        """Only waiting questions go, so only the servers with one need the member's key."""
        guilds = await member_repo.pending_guilds(self.db)
        key = self.hasher.key
        pairs = [(g, key(block_scope(g), user_id)) for g in guilds]
        return await member_repo.delete_pending_for(self.db, pairs)

    async def export(self, user_id: int) -> list[dict[str, Any]]:
        keys = await self._keys(user_id)
        questions = await member_repo.questions_for_block_keys(self.db, keys.blocks)
        records: list[dict[str, Any]] = [
            {
                "kind": "question",
                "server_id": str(q.guild_id),
                "discussion_id": q.discussion_id,
                "pseudonym": q.pseudonym,
                "status": q.status,
                "text": q.text,
                "asked_at": q.created_at.isoformat() if q.created_at else None,
            }
            for q in questions
        ]
        for guild_id in await member_repo.blocks_for(self.db, keys.blocks):
            records.append({"kind": "block", "server_id": str(guild_id)})
        counts = await member_repo.member_counts(self.db, (), keys.rates, keys.reports)
        if counts.question_times:
            records.append({"kind": "recent question times", "count": counts.question_times})
        if counts.reports:
            records.append({"kind": "question reports", "count": counts.reports})
        return records

    async def erase(self, user_id: int) -> int:
        keys = await self._keys(user_id)
        return await erasure.erase_question_keys(self.db, keys.blocks, keys.rates, keys.reports)

    async def forget_guild(self, guild_id: int) -> int:
        return await erasure.forget_discussions(self.db, guild_id)
