"""At most N anonymous questions per member per window per server, remembered by keyed hash,
and what a member who reached the limit is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.db import Storage
from bot.db import anonymous_questions as questions_repo
from bot.i18n import ngettext
from bot.services.privacy import KeyedHasher

LIMIT = 3
WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_at: datetime | None = None


def rate_scope(guild_id: int) -> str:
    return f"ask-rate:{guild_id}"


class QuestionRateLimit:
    def __init__(
        self,
        db: Storage,
        clock: Clock,
        hasher: KeyedHasher,
        *,
        limit: int = LIMIT,
        window: timedelta = WINDOW,
    ) -> None:
        self.db = db
        self.clock = clock
        self.hasher = hasher
        self.limit = limit
        self.window = window

    async def check(self, guild_id: int, user_id: int) -> RateDecision:
        now = self.clock.now()
        key = self.hasher.key(rate_scope(guild_id), user_id)
        window_start = now - self.window
        recent = await questions_repo.recent_question_count(self.db, guild_id, key, window_start)
        if recent < self.limit:
            return RateDecision(True)
        earliest = await questions_repo.earliest_question_time(self.db, guild_id, key, window_start)
        return RateDecision(False, (earliest or now) + self.window)

    async def record(self, guild_id: int, user_id: int) -> datetime:
        key = self.hasher.key(rate_scope(guild_id), user_id)
        now = self.clock.now()
        await questions_repo.add_question_time(self.db, guild_id, key, now)
        return now

    async def forget(self, guild_id: int, user_id: int, at: datetime) -> None:
        """Take back a question counted at `at` that could not be posted after all."""
        key = self.hasher.key(rate_scope(guild_id), user_id)
        await questions_repo.forget_question_time(self.db, guild_id, key, at)

    def refusal(self, retry_at: datetime | None) -> str:
        """Why nothing was sent, and when the member can ask again if that is known."""
        limit = self.limit
        minutes = int(self.window.total_seconds() // 60)
        if retry_at is None:
            text = ngettext(
                "You've asked {count} anonymous question in the last {minutes} minutes, which "
                "is the most at once. You can ask again soon. Nothing was sent.",
                "You've asked {count} anonymous questions in the last {minutes} minutes, which "
                "is the most at once. You can ask again soon. Nothing was sent.",
                limit,
            )
        else:
            text = ngettext(
                "You've asked {count} anonymous question in the last {minutes} minutes, which "
                "is the most at once. You can ask again {when}. Nothing was sent.",
                "You've asked {count} anonymous questions in the last {minutes} minutes, which "
                "is the most at once. You can ask again {when}. Nothing was sent.",
                limit,
            )
        when = f"<t:{int(retry_at.timestamp())}:R>" if retry_at else ""
        return text.format(count=limit, minutes=minutes, when=when)
