"""A server's own prompts: written by moderators, suggested by members, topics left out.

Members' suggestions wait in a queue for a moderator. Who suggested is kept only as a keyed hash
(scope "prompt-suggestion"), so members can see and delete their pending suggestions through
/mydata; a suggestion is deleted at review, and an approved prompt belongs to the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.content import Content
from bot.content.model import Prompt
from bot.db import Storage
from bot.db import prompt_library as repo
from bot.db import prompts as prompts_repo
from bot.i18n import N_, _, ngettext
from bot.i18n.numbers import number
from bot.services.privacy import KeyedHasher, StoredItem
from bot.services.prompts import rotation
from bot.services.prompts.model import (
    CUSTOM_PREFIX,
    CustomPrompt,
    PromptInputError,
    PromptText,
    custom_text,
)

SCOPE = "prompt-suggestion"
MIN_CHARS = 10
MAX_CHARS = 1500
MAX_WARNING = 200
MAX_PENDING_PER_MEMBER = 3
MAX_CUSTOM = 500
PAGE_SIZE = 5


async def text_for_key(
    conn: prompts_repo.Conn, builtin: Mapping[str, Prompt], guild_id: int, key: str
) -> PromptText | None:
    """A built-in prompt by id or this server's own by `c:<id>`; None when it is not (or no
    longer) there."""
    if not key.startswith(CUSTOM_PREFIX):
        return rotation.prompt_text(key, builtin, {})
    try:
        custom_id = int(key.removeprefix(CUSTOM_PREFIX))
    except ValueError:
        return None
    found = await repo.custom_prompt(conn, guild_id, custom_id)
    return custom_text(found) if found else None


@dataclass(frozen=True)
class CustomPage:
    items: list[CustomPrompt]
    page: int
    pages: int
    total: int


def clean(text: str, warning: str | None) -> tuple[str, str | None]:
    body = (text or "").strip()
    note = (warning or "").strip() or None
    if len(body) < MIN_CHARS:
        raise PromptInputError(
            ngettext(
                "A prompt needs at least {count} character, so it can invite a real reflection.",
                "A prompt needs at least {count} characters, so it can invite a real reflection.",
                MIN_CHARS,
            ).format(count=number(MIN_CHARS))
        )
    if len(body) > MAX_CHARS:
        raise PromptInputError(
            ngettext(
                "That prompt is {count} character; the limit is {limit}. Could it be shorter?",
                "That prompt is {count} characters; the limit is {limit}. Could it be shorter?",
                len(body),
            ).format(count=number(len(body)), limit=number(MAX_CHARS))
        )
    if note is not None and len(note) > MAX_WARNING:
        raise PromptInputError(
            ngettext(
                "Please keep the content note under {count} character.",
                "Please keep the content note under {count} characters.",
                MAX_WARNING,
            ).format(count=number(MAX_WARNING))
        )
    return body, note


class PromptLibrary:
    feature = N_("Prompt suggestions")
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "prompt_suggestions": ("member_key", "text", "content_warning")
    }
    server_tables: ClassVar[tuple[str, ...]] = prompts_repo.GUILD_TABLES

    def __init__(self, db: Storage, content: Content, hasher: KeyedHasher) -> None:
        self.db = db
        self.content = content
        self.hasher = hasher

    def topic_id(self, topic: str | None) -> str | None:
        """The topic's id from its id or label; raises a kind error for an unknown one."""
        if topic is None or not topic.strip():
            return None
        wanted = topic.strip()
        for t in self.content.topics.values():
            if wanted in (t.id, t.label):
                return t.id
        raise PromptInputError(
            _("I don't know the topic “{topic}”. Pick one from the list.").format(topic=wanted[:40])
        )

    async def check_topic(self, topic: str) -> str | None:
        """Checked before the modal opens, so nothing typed is lost to a bad topic."""
        return self.topic_id(topic)

    # Moderators' own prompts --------------------------------------------------------------------

    async def add(
        self, guild_id: int, text: str, warning: str | None, topic: str | None
    ) -> CustomPrompt:
        body, note = clean(text, warning)
        topic_id = self.topic_id(topic)
        _items, total = await repo.custom_page(self.db, guild_id, 0, 0)
        if total >= MAX_CUSTOM:
            raise PromptInputError(
                ngettext(
                    "This server has {count} prompt of its own, the most I keep. "
                    "Remove some with /prompts remove first.",
                    "This server has {count} prompts of its own, the most I keep. "
                    "Remove some with /prompts remove first.",
                    MAX_CUSTOM,
                ).format(count=number(MAX_CUSTOM))
            )
        new_id = await repo.add_custom(self.db, guild_id, body, topic_id, note, "moderator")
        return CustomPrompt(new_id, guild_id, body, topic_id, note, "moderator")

    async def page(self, guild_id: int, page: int) -> CustomPage:
        _items, total = await repo.custom_page(self.db, guild_id, 0, 0)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        items, total = await repo.custom_page(self.db, guild_id, PAGE_SIZE, page * PAGE_SIZE)
        return CustomPage(items, page, pages, total)

    async def all_own(self, guild_id: int) -> list[CustomPrompt]:
        return (await repo.custom_for(self.db, [guild_id])).get(guild_id, [])

    async def remove(self, guild_id: int, prompt_id: int) -> None:
        if not await repo.remove_custom(self.db, guild_id, prompt_id):
            raise PromptInputError(
                _(
                    "There's no prompt #{number} of this server. /prompts list shows their numbers."
                ).format(number=prompt_id)
            )

    async def excluded(self, guild_id: int) -> set[str]:
        return (await repo.excluded_for(self.db, [guild_id])).get(guild_id, set())

    async def set_excluded(self, guild_id: int, topics: list[str]) -> set[str]:
        known = [t for t in topics if t in self.content.topics]
        async with self.db.transaction() as tx:
            await repo.set_excluded(tx, guild_id, known)
        return set(known)

    # Members' suggestions -----------------------------------------------------------------------

    async def suggest(self, guild_id: int, user_id: int, text: str, warning: str | None) -> int:
        body, note = clean(text, warning)
        key = self.hasher.key(SCOPE, user_id)
        if await repo.pending_by_member(self.db, guild_id, key) >= MAX_PENDING_PER_MEMBER:
            raise PromptInputError(
                ngettext(
                    "You have {count} suggestion waiting for the moderators already. Thank you! "
                    "Please wait until they've had a look.",
                    "You have {count} suggestions waiting for the moderators already. Thank you! "
                    "Please wait until they've had a look.",
                    MAX_PENDING_PER_MEMBER,
                ).format(count=number(MAX_PENDING_PER_MEMBER))
            )
        return await repo.add_suggestion(self.db, guild_id, key, body, note)

    async def pending_count(self, guild_id: int) -> int:
        return await repo.pending_count(self.db, guild_id)

    async def next_pending(self, guild_id: int) -> repo.Suggestion | None:
        return await repo.next_pending(self.db, guild_id)

    async def approve(self, guild_id: int, suggestion_id: int) -> CustomPrompt:
        async with self.db.transaction() as tx:
            found = await repo.get_suggestion(tx, guild_id, suggestion_id)
            if found is None or not await repo.take_suggestion(tx, guild_id, suggestion_id):
                raise PromptInputError(_("Someone has already reviewed that suggestion."))
            new_id = await repo.add_custom(
                tx, guild_id, found.text, None, found.content_warning, "suggestion"
            )
        return CustomPrompt(new_id, guild_id, found.text, None, found.content_warning, "suggestion")

    async def reject(self, guild_id: int, suggestion_id: int) -> None:
        if not await repo.take_suggestion(self.db, guild_id, suggestion_id):
            raise PromptInputError(_("Someone has already reviewed that suggestion."))

    # PersonalDataProvider -----------------------------------------------------------------------

    async def describe(self, user_id: int) -> list[StoredItem]:
        found = await repo.suggestions_of(self.db, self.hasher.key(SCOPE, user_id))
        return [
            StoredItem(
                self.feature,
                _("a prompt suggestion waiting for review: “{text}”").format(text=s.text[:80]),
            )
            for s in found
        ]

    async def delete(self, user_id: int) -> int:
        return await repo.delete_suggestions_of(self.db, self.hasher.key(SCOPE, user_id))

    async def export(self, user_id: int) -> list[dict[str, Any]]:
        found = await repo.suggestions_of(self.db, self.hasher.key(SCOPE, user_id))
        return [
            {
                "server_id": str(s.guild_id),
                "text": s.text,
                "content_note": s.content_warning,
                "status": s.status,
            }
            for s in found
        ]

    async def erase(self, user_id: int) -> int:
        return await self.delete(user_id)

    async def forget_guild(self, guild_id: int) -> int:
        async with self.db.transaction() as tx:
            return await prompts_repo.forget_guild(tx, guild_id)
