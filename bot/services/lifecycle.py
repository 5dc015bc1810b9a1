"""What happens to stored data over time, and on the operator's word.

Every feature keeps the personal-data contract (bot/services/privacy.py); this module composes
the contracts for the command line, deletes a server's data once the bot has been gone for the
retention period, prunes saved history past its retention, and checkpoints after each deletion
so no copy of what was deleted stays in the write-ahead log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from bot.clock import Clock
from bot.content import Content
from bot.db import Storage, departures, erasure
from bot.db import settings as settings_repo
from bot.services.discussions.personal_data import DiscussionPersonalData
from bot.services.privacy import KeyedHasher, PersonalDataRegistry, StoredItem
from bot.services.prompts.library import PromptLibrary
from bot.services.selfcheck.history import SelfCheckHistory

log = logging.getLogger(__name__)

# Tables that hold nothing about a member or a server, and the table this module itself clears.
INSTALLATION_TABLES = ("instance_meta",)
LIFECYCLE_TABLES = ("guild_departures",)

# Columns whose names suggest member text or keys but that hold neither, and why.
NOT_MEMBER_DATA: dict[tuple[str, str], str] = {
    ("guild_settings", "ground_rules"): "written by the server's moderators",
    ("guild_settings", "resources_text"): "written by the server's moderators",
    ("prompt_custom", "text"): "the server's own prompt (an approved suggestion is the server's)",
    ("prompt_custom", "content_warning"): "the server's own prompt's content note",
    ("prompt_posts", "prompt_key"): "which prompt was posted, a built-in id or the server's",
    (
        "prompt_queue",
        "prompt_key",
    ): "which prompt a moderator queued, a built-in id or the server's",
    ("discussions", "title"): "the discussion's topic, chosen by a facilitator",
    ("discussion_questions", "pseudonym"): (
        "a word pair shown in the public thread; it names no account and is removed with the "
        "question record"
    ),
    ("selfcheck_counted_sessions", "session_token"): (
        "a keyed hash of one session's state, not of a member; no id can find it, and it is "
        "pruned two days later"
    ),
    ("instance_meta", "key"): "installation facts such as the secret's fingerprint",
    ("instance_meta", "value"): "installation facts such as the secret's fingerprint",
}


class ServerSettingsData:
    """A server's settings: nothing about any member, deleted with the server."""

    feature = "Server settings"
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    server_tables: ClassVar[tuple[str, ...]] = ("guild_settings",)

    def __init__(self, db: Storage) -> None:
        self.db = db

    async def describe(self, user_id: int) -> list[StoredItem]:
        return []

    async def export(self, user_id: int) -> list[dict[str, Any]]:
        return []

    async def delete(self, user_id: int) -> int:
        return 0

    async def erase(self, user_id: int) -> int:
        return 0

    async def forget_guild(self, guild_id: int) -> int:
        return await settings_repo.forget_guild(self.db, guild_id)


def build_registry(db: Storage, hasher: KeyedHasher, content: Content) -> PersonalDataRegistry:
    """Every feature's contract, without Discord: what the command line deletes through.

    The running bot registers the same contracts as its features load (a test holds the two
    lists equal).
    """
    registry = PersonalDataRegistry()
    registry.register(SelfCheckHistory(db, hasher, content))
    registry.register(PromptLibrary(db, content, hasher))
    registry.register(DiscussionPersonalData(db, hasher))
    registry.register(ServerSettingsData(db))
    return registry


class DataLifecycle:
    def __init__(
        self,
        db: Storage,
        registry: PersonalDataRegistry,
        clock: Clock,
        *,
        guild_retention_days: int,
        history_retention_days: int | None,
    ) -> None:
        self.db = db
        self.registry = registry
        self.clock = clock
        self.guild_retention = timedelta(days=guild_retention_days)
        self.history_retention_days = history_retention_days

    async def delete_member(self, user_id: int) -> int:
        """The member's own /mydata delete."""
        removed = await self.registry.delete(user_id)
        await self.db.checkpoint()
        return removed

    async def forget_user(self, user_id: int) -> dict[str, int]:
        """Everything keyed from the id, in every server, on the operator's word."""
        removed = await self.registry.erase(user_id)
        await self.db.checkpoint()
        return removed

    async def forget_guild(self, guild_id: int) -> dict[str, int]:
        removed = await self.registry.forget_guild(guild_id)
        await departures.cancel_departure(self.db, guild_id)
        await self.db.checkpoint()
        return removed

    async def server_left(self, guild_id: int) -> None:
        await departures.record_departure(self.db, guild_id, self.clock.now())

    async def server_joined(self, guild_id: int) -> None:
        # Every server becomes available at each start-up: for the many that never left, one
        # read instead of a write (a write takes the database's write lock, and thousands of
        # them queued at start-up held up the first due posts).
        if await departures.departure_of(self.db, guild_id) is None:
            return
        if await departures.cancel_departure(self.db, guild_id):
            log.info("Back in a server before its data was deleted; it is kept")

    def deletion_due(self, left_at: datetime) -> datetime:
        return left_at + self.guild_retention

    async def daily(self) -> None:
        """Housekeeping: servers whose retention ended, then saved history past its retention."""
        now = self.clock.now()
        for guild_id in await departures.departed_before(self.db, now - self.guild_retention):
            removed = await self.forget_guild(guild_id)
            log.info("Deleted a departed server's data (%d row(s))", sum(removed.values()))
        if self.history_retention_days is not None:
            cutoff = (now - timedelta(days=self.history_retention_days)).date()
            pruned = await erasure.prune_history(self.db, cutoff.isoformat())
            if pruned:
                await self.db.checkpoint()
                log.info("Pruned %d saved self-check result(s) past retention", pruned)
