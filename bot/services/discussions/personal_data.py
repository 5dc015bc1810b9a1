"""What /mydata shows and deletes for discussions: everything is under server-scoped keyed hashes.

A member's keys are recomputed per server that holds any question data (one HMAC each), so
nothing links a member's rows across servers in the database itself.
"""

from __future__ import annotations

from bot.db import Database
from bot.db import anonymous_questions as questions_repo
from bot.services.discussions.questions import block_scope
from bot.services.discussions.ratelimit import rate_scope
from bot.services.privacy import KeyedHasher, StoredItem

FEATURE = "Anonymous questions"


class DiscussionPersonalData:
    feature = FEATURE

    def __init__(self, db: Database, hasher: KeyedHasher) -> None:
        self.db = db
        self.hasher = hasher

    async def _keys(self, user_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        guilds = await questions_repo.question_guilds(self.db)
        blocks = [(g, self.hasher.key(block_scope(g), user_id)) for g in guilds]
        rates = [(g, self.hasher.key(rate_scope(g), user_id)) for g in guilds]
        return blocks, rates

    async def describe(self, user_id: int) -> list[StoredItem]:
        blocks, rates = await self._keys(user_id)
        questions = await questions_repo.questions_for_block_keys(self.db, blocks)
        items: list[StoredItem] = []
        pending = [q for q in questions if q.status == "pending"]
        if pending:
            items.append(
                StoredItem(
                    FEATURE,
                    f"{len(pending)} question(s) waiting for a facilitator's review, with their "
                    "text. Deleting removes them before anyone relays them.",
                )
            )
        done = [q for q in questions if q.status != "pending"]
        if done:
            items.append(
                StoredItem(
                    FEATURE,
                    f"{len(done)} record(s) of questions you asked (pseudonym and status, no "
                    "text), kept until 7 days after their discussion closes so a facilitator can "
                    "still act on them. They are removed on that schedule.",
                )
            )
        blocked = await questions_repo.blocks_for(self.db, blocks)
        if blocked:
            items.append(
                StoredItem(
                    FEATURE,
                    f"A block on anonymous questions in {len(blocked)} server(s). Blocks are a "
                    "moderation decision, so deleting your data keeps them; a server's "
                    "moderators can talk it through with you.",
                )
            )
        recent = await questions_repo.question_times_for(self.db, rates)
        if recent:
            items.append(
                StoredItem(
                    FEATURE,
                    f"The times of {recent} recent question(s), kept 10 minutes for the limit "
                    "of 3 questions per 10 minutes.",
                )
            )
        return items

    async def delete(self, user_id: int) -> int:
        blocks, _ = await self._keys(user_id)
        return await questions_repo.delete_pending_for(self.db, blocks)
