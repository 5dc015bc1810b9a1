"""What the discussion services hand to the Discord side, and what they need from it.

The services decide; a `DiscussionPlatform` (implemented in cogs/discussions) talks to Discord.
Keeping that seam narrow lets the lifecycle, the timers and the question queue be unit-tested
without a client, and keeps every Discord call (and its permission errors) in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from bot.db.discussions import DiscussionRow as DiscussionRow  # re-exported for the cogs
from bot.errors import UserFacingError
from bot.i18n import DEFAULT_LOCALE

SourceKind = Literal["topic", "excerpt", "prompt"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("topic", "excerpt", "prompt")

# Relayed as message content after a one-line header, inside Discord's 2,000 characters.
MAX_QUESTION_CHARS = 1800
MAX_NOTE_CHARS = 500


# The language of a server's posts, by server id (a Discord locale code).
ServerLocale = Callable[[int], Awaitable[str]]


async def in_english(guild_id: int) -> str:
    """For services made without a Discord side (tests): every server reads English."""
    return DEFAULT_LOCALE


class PlatformError(UserFacingError):
    """Discord refused or lacks something; the message says what, kindly, for a facilitator."""


@dataclass(frozen=True)
class SourcePlan:
    """What a discussion is about, resolved from content: the passage and the guide questions.

    The texts are those of the language it was planned in; the ids beside them let a post look
    each text up again in the language of the server it goes to (`sources.localised`).
    """

    kind: SourceKind
    source_id: str
    title: str
    topic_label: str
    passage: str | None
    attribution: str | None
    content_warning: str | None
    guide_id: str | None
    questions: tuple[str, ...]
    lead: str | None = None
    """How the opening introduces the passage, when it is more than "A reflection prompt"."""
    topic_id: str | None = None
    note_ids: tuple[str, ...] = ()
    """Content notes from the shared vocabulary (of the passage, then of the guide)."""
    own_note: str | None = None
    """A server's own prompt's content note, in the moderator's words."""
    posted_on: date | None = None
    """The day a posted prompt went out, when the discussion builds on it."""
    posted_today: bool = False


@dataclass(frozen=True)
class Opening:
    discussion_id: int
    guild_id: int
    channel_id: int
    plan: SourcePlan
    ground_rules: str | None
    close_at: datetime
    slowmode_seconds: int
    anonymous_mode: str


@dataclass(frozen=True)
class Announcement:
    discussion_id: int
    guild_id: int
    channel_id: int
    title: str
    topic_label: str
    starts_at: datetime
    duration_minutes: int
    message_id: int | None = None
    guide_id: str | None = None
    topic_id: str | None = None


@dataclass(frozen=True)
class ThreadCounts:
    """Discord's own counts for a thread (the bot reads no message content)."""

    messages: int | None
    members: int | None


@dataclass(frozen=True)
class ClosingSummary:
    discussion_id: int
    guild_id: int
    thread_id: int
    title: str
    duration: timedelta
    messages: int | None
    people: int | None
    questions_relayed: int
    askers: int
    note: str | None
    by_timer: bool
    # Finishing a close a stop interrupted: the summary may already be in the thread.
    resumed: bool = False
    guide_id: str | None = None
    topic_id: str | None = None


@dataclass(frozen=True)
class ReviewCard:
    question_id: int
    guild_id: int
    discussion_title: str
    thread_id: int
    pseudonym: str
    text: str
    # What the discussion is on, so the card can name it in the language it is shown in.
    guide_id: str | None = None
    source_kind: str = ""
    source_id: str = ""


@dataclass(frozen=True)
class ReportCard:
    """A member's report of a relayed question, for the moderators: never who reported it."""

    question_id: int
    guild_id: int
    thread_id: int
    message_id: int | None
    pseudonym: str
    text: str
    reports: int


class DiscussionPlatform(Protocol):
    async def check_can_open(self, guild_id: int, channel_id: int) -> None:
        """Raise PlatformError naming any permission the bot lacks in the channel."""
        ...

    async def check_can_close(self, guild_id: int, thread_id: int) -> None: ...

    async def open_thread(self, opening: Opening) -> int:
        """Create the thread or forum post with its opening embed; returns the thread id."""
        ...

    async def close_thread(self, summary: ClosingSummary) -> None:
        """Post the summary (unless a resumed close finds it posted), then lock and archive."""
        ...

    async def find_opening(
        self, guild_id: int, channel_id: int, title: str, taken: set[int]
    ) -> int | None:
        """The thread of an opening a stop interrupted (titled `title`, not among the `taken`
        threads of other discussions), if it was made. An opening message left without its
        thread is deleted, so a retry cannot leave two."""
        ...

    async def find_relay(
        self, thread_id: int, pseudonym: str, after: datetime, known: set[int]
    ) -> int | None:
        """The relayed message of `pseudonym` posted after `after` and not among `known`."""
        ...

    async def thread_counts(self, guild_id: int, thread_id: int) -> ThreadCounts: ...

    async def announce(self, announcement: Announcement) -> int | None: ...

    async def remind(self, announcement: Announcement) -> None: ...

    async def withdraw_announcement(self, announcement: Announcement) -> None: ...

    async def tell_facilitators(self, guild_id: int, text: str) -> None:
        """Report something a timer could not do (to the log channel when there is one)."""
        ...

    async def relay(
        self, guild_id: int, thread_id: int, pseudonym: str, text: str, question_id: int
    ) -> int:
        """Post member text as the pseudonym, pinging no one; returns the message id."""
        ...

    async def delete_message(self, guild_id: int, channel_id: int, message_id: int) -> None: ...

    async def post_review(self, channel_id: int, card: ReviewCard) -> int | None: ...

    async def settle_review(self, channel_id: int, message_id: int, outcome: str) -> None: ...

    async def post_report(self, channel_id: int, card: ReportCard) -> bool:
        """Tell the moderators in the log channel; False when that channel can't be used."""
        ...


@dataclass(frozen=True)
class Started:
    discussion_id: int
    thread_id: int
    title: str
    close_at: datetime


@dataclass(frozen=True)
class Scheduled:
    discussion_id: int
    title: str
    starts_at: datetime
    remind_at: datetime | None
    announced: bool


@dataclass(frozen=True)
class Listing:
    open: list[DiscussionRow]
    scheduled: list[DiscussionRow]


@dataclass(frozen=True)
class Asked:
    status: Literal["relayed", "pending"]
    pseudonym: str
    discussion_title: str
    thread_id: int
    question_id: int
    review_posted: bool = False


@dataclass(frozen=True)
class Reported:
    """A member's report; `new` is False when this member had already reported the question
    (it counts once, and the moderators are not told again)."""

    pseudonym: str
    new: bool


@dataclass(frozen=True)
class Decided:
    question_id: int
    pseudonym: str
    outcome: str
