"""Facilitated discussions: lifecycle, timers, anonymous questions, pseudonyms and personal data."""

from bot.services.discussions.lifecycle import Discussions
from bot.services.discussions.model import (
    MAX_NOTE_CHARS,
    MAX_QUESTION_CHARS,
    SOURCE_KINDS,
    Announcement,
    Asked,
    ClosingSummary,
    Decided,
    DiscussionPlatform,
    Listing,
    Opening,
    PlatformError,
    ReportCard,
    Reported,
    ReviewCard,
    Scheduled,
    SourceKind,
    SourcePlan,
    Started,
    ThreadCounts,
)
from bot.services.discussions.personal_data import DiscussionPersonalData
from bot.services.discussions.pseudonyms import pseudonym_for
from bot.services.discussions.questions import AnonymousQuestions, TooLong
from bot.services.discussions.ratelimit import QuestionRateLimit
from bot.services.discussions.sources import choose_source
from bot.services.discussions.timers import DiscussionTimers

__all__ = [
    "MAX_NOTE_CHARS",
    "MAX_QUESTION_CHARS",
    "SOURCE_KINDS",
    "Announcement",
    "AnonymousQuestions",
    "Asked",
    "ClosingSummary",
    "Decided",
    "DiscussionPersonalData",
    "DiscussionPlatform",
    "DiscussionTimers",
    "Discussions",
    "Listing",
    "Opening",
    "PlatformError",
    "QuestionRateLimit",
    "ReportCard",
    "Reported",
    "ReviewCard",
    "Scheduled",
    "SourceKind",
    "SourcePlan",
    "Started",
    "ThreadCounts",
    "TooLong",
    "choose_source",
    "pseudonym_for",
]
