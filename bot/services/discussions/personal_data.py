"""What /mydata shows and deletes for discussions: everything is under server-scoped keyed hashes.

A member's keys are recomputed per server that holds any question data (one HMAC each), so
nothing links a member's rows across servers in the database itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from bot.db import Storage, erasure
from bot.db import anonymous_questions as questions_repo
from bot.i18n import N_, _, ngettext
from bot.services.discussions.questions import block_scope, report_scope
from bot.services.discussions.ratelimit import rate_scope
from bot.services.privacy import KeyedHasher, StoredItem

# The provider's key in /mydata's export and erasure; shown to members translated.
FEATURE = N_("Anonymous questions")


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
    )

    def __init__(self, db: Storage, hasher: KeyedHasher) -> None:
        self.db = db
        self.hasher = hasher

    async def _keys(self, user_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        guilds = await questions_repo.question_guilds(self.db)
        blocks = [(g, self.hasher.key(block_scope(g), user_id)) for g in guilds]
        rates = [(g, self.hasher.key(rate_scope(g), user_id)) for g in guilds]
        return blocks, rates

    async def _report_keys(self, user_id: int) -> list[tuple[int, str]]:
        guilds = await questions_repo.question_guilds(self.db)
        return [(g, self.hasher.key(report_scope(g), user_id)) for g in guilds]

    async def describe(self, user_id: int) -> list[StoredItem]:
        blocks, rates = await self._keys(user_id)
        questions = await questions_repo.questions_for_block_keys(self.db, blocks)
        items: list[StoredItem] = []
        feature = _(FEATURE)
        pending = [q for q in questions if q.status == "pending"]
        if pending:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "{count} question waiting for a facilitator's review, with its text. "
                        "Deleting removes it before anyone relays it.",
                        "{count} questions waiting for a facilitator's review, with their text. "
                        "Deleting removes them before anyone relays them.",
                        len(pending),
                    ).format(count=len(pending)),
                )
            )
        done = [q for q in questions if q.status != "pending"]
        if done:
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
                        len(done),
                    ).format(count=len(done)),
                )
            )
        blocked = await questions_repo.blocks_for(self.db, blocks)
        if blocked:
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
                        len(blocked),
                    ).format(count=len(blocked)),
                )
            )
        recent = await questions_repo.question_times_for(self.db, rates)
        if recent:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "The time of {count} recent question, kept 10 minutes for the limit of 3 "
                        "questions per 10 minutes.",
                        "The times of {count} recent questions, kept 10 minutes for the limit of 3 "
                        "questions per 10 minutes.",
                        recent,
                    ).format(count=recent),
                )
            )
        reports = await questions_repo.reports_for(self.db, await self._report_keys(user_id))
        if reports:
            items.append(
                StoredItem(
                    feature,
                    ngettext(
                        "{count} report you made of an anonymous question, kept without your "
                        "name until the question's record is removed.",
                        "{count} reports you made of anonymous questions, kept without your "
                        "name until the questions' records are removed.",
                        reports,
                    ).format(count=reports),
                )
            )
        return items

    async def delete(self, user_id: int) -> int:
        blocks, _ = await self._keys(user_id)
        return await questions_repo.delete_pending_for(self.db, blocks)

    async def export(self, user_id: int) -> list[dict[str, Any]]:
        blocks, rates = await self._keys(user_id)
        questions = await questions_repo.questions_for_block_keys(self.db, blocks)
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
        for guild_id in await questions_repo.blocks_for(self.db, blocks):
            records.append({"kind": "block", "server_id": str(guild_id)})
        recent = await questions_repo.question_times_for(self.db, rates)
        if recent:
            records.append({"kind": "recent question times", "count": recent})
        reports = await questions_repo.reports_for(self.db, await self._report_keys(user_id))
        if reports:
            records.append({"kind": "question reports", "count": reports})
        return records

    async def erase(self, user_id: int) -> int:
        blocks, rates = await self._keys(user_id)
        reports = await self._report_keys(user_id)
        pairs = [
            (g, block, rate, report)
            for (g, block), (_, rate), (_, report) in zip(blocks, rates, reports, strict=True)
        ]
        return await erasure.erase_question_keys(self.db, pairs)

    async def forget_guild(self, guild_id: int) -> int:
        return await erasure.forget_discussions(self.db, guild_id)
