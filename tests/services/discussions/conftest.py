"""Shared pieces for the discussion service tests: a real database and a recording platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR
from bot.content import Content, Excerpt, load_content
from bot.db import Storage
from bot.services.discussions import (
    Announcement,
    AnonymousQuestions,
    ClosingSummary,
    Discussions,
    Opening,
    PlatformError,
    ReportCard,
    ReviewCard,
    ThreadCounts,
)
from bot.services.privacy import KeyedHasher

GUILD = 1001
CHANNEL = 2002
LOG = 3003
START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class RecordingPlatform:
    """Does what Discord would, in memory, and remembers every call."""

    missing: list[str] = field(default_factory=list)
    opened: list[Opening] = field(default_factory=list)
    closed: list[ClosingSummary] = field(default_factory=list)
    relayed: list[tuple[int, str, str]] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    announced: list[Announcement] = field(default_factory=list)
    reminded: list[Announcement] = field(default_factory=list)
    withdrawn: list[Announcement] = field(default_factory=list)
    told: list[str] = field(default_factory=list)
    reviews: list[ReviewCard] = field(default_factory=list)
    reports: list[ReportCard] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)
    next_id: int = 50_000

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    async def check_can_open(self, guild_id: int, channel_id: int) -> None:
        if self.missing:
            raise PlatformError(f"I need {', '.join(self.missing)}")

    async def check_can_close(self, guild_id: int, thread_id: int) -> None:
        if self.missing:
            raise PlatformError(f"I need {', '.join(self.missing)}")

    async def open_thread(self, opening: Opening) -> int:
        self.opened.append(opening)
        return self._id()

    async def close_thread(self, summary: ClosingSummary) -> None:
        self.closed.append(summary)

    async def thread_counts(self, guild_id: int, thread_id: int) -> ThreadCounts:
        return ThreadCounts(12, 4)

    async def announce(self, announcement: Announcement) -> int | None:
        self.announced.append(announcement)
        return self._id()

    async def remind(self, announcement: Announcement) -> None:
        self.reminded.append(announcement)

    async def withdraw_announcement(self, announcement: Announcement) -> None:
        self.withdrawn.append(announcement)

    async def tell_facilitators(self, guild_id: int, text: str) -> None:
        self.told.append(text)

    async def relay(
        self, guild_id: int, thread_id: int, pseudonym: str, text: str, question_id: int
    ) -> int:
        self.relayed.append((thread_id, pseudonym, text))
        return self._id()

    async def delete_message(self, guild_id: int, channel_id: int, message_id: int) -> None:
        self.deleted.append(message_id)

    async def post_review(self, channel_id: int, card: ReviewCard) -> int | None:
        self.reviews.append(card)
        return self._id()

    async def settle_review(self, channel_id: int, message_id: int, outcome: str) -> None:
        self.settled.append(outcome)

    async def post_report(self, channel_id: int, card: ReportCard) -> bool:
        self.reports.append(card)
        return True


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(DEFAULT_CONTENT_DIR)


@pytest.fixture
def db(storage: Storage) -> Storage:
    """The shared fixture's database, SQLite and PostgreSQL in turn."""
    return storage


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def hasher() -> KeyedHasher:
    return KeyedHasher(b"s" * 32)


@pytest.fixture
def platform() -> RecordingPlatform:
    return RecordingPlatform()


def plain_attribution(excerpt: Excerpt) -> str:
    return f"from {excerpt.source}"


@pytest.fixture
def discussions(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform
) -> Discussions:
    return Discussions(db, content, clock, platform, attribution=plain_attribution)


@pytest.fixture
def questions(
    db: Storage, clock: FakeClock, hasher: KeyedHasher, platform: RecordingPlatform
) -> AnonymousQuestions:
    return AnonymousQuestions(db, clock, hasher, platform)
