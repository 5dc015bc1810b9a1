"""Server-wide counts for moderators, built so that no number can be matched to a person.

A completion adds one to a (server, instrument, day) counter and folds its scores into
per-dimension sums; nothing else is kept but an opaque token per counted session, so the same
result shown twice (even across a restart) counts once, pruned a couple of days later. Moderators
see ISO weeks, and a week's count and averages only when at least MIN_CELL checks fall in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.content.model import Content
from bot.db import Storage
from bot.db import selfcheck as repo
from bot.i18n import current_locale
from bot.services.privacy import KeyedHasher

MIN_CELL = 5
COUNTED_SCOPE = "selfcheck-counted"
# Sessions expire an hour after they start, so a token is useless by the next day; two days
# leave room for a session that crossed midnight and for a late housekeeping run.
COUNTED_KEPT_DAYS = 2


@dataclass(frozen=True)
class WeekCell:
    label: str
    completions: int | None
    """None when fewer than MIN_CELL: the exact small number is never handed out."""
    averages: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class InstrumentInsight:
    instrument_id: str
    title: str
    weeks: tuple[WeekCell, ...]


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


class SelfCheckInsights:
    def __init__(self, db: Storage, content: Content, hasher: KeyedHasher) -> None:
        self.db = db
        self.content = content
        self.hasher = hasher

    def session_token(self, guild_id: int, session_key: str) -> str:
        """Stable for one session in one server; without the secret it leads to no one.

        `session_key` is the session's custom-id state (instrument code, start minute, owner
        tag); keyed and truncated, neither the member nor the minute can be read back from it.
        """
        return self.hasher.key(f"{COUNTED_SCOPE}\x1f{session_key}", guild_id)[:32]

    async def record(
        self, guild_id: int, instrument_id: str, day: date, scores: dict[str, int], session_key: str
    ) -> bool:
        """Count a shown result; False when this session was counted already."""
        return await repo.record_completion(
            self.db,
            guild_id,
            instrument_id,
            day.isoformat(),
            scores,
            session_token=self.session_token(guild_id, session_key),
        )

    async def prune(self, today: date) -> int:
        """Daily housekeeping: drop tokens of sessions that can no longer show a result."""
        cutoff = today - timedelta(days=COUNTED_KEPT_DAYS)
        return await repo.prune_counted_sessions(self.db, cutoff.isoformat())

    async def weekly(self, guild_id: int, today: date, weeks: int = 4) -> list[InstrumentInsight]:
        first = week_start(today) - timedelta(weeks=weeks - 1)
        last = week_start(today) + timedelta(days=6)
        shown = sorted(self.content.instruments)
        cells = await repo.completions_between(
            self.db, guild_id, shown, first.isoformat(), last.isoformat()
        )
        sums = await repo.sums_between(
            self.db, guild_id, shown, first.isoformat(), last.isoformat()
        )
        counts: dict[tuple[str, str], int] = {}
        for cell in cells:
            key = (cell.instrument, week_label(date.fromisoformat(cell.day)))
            counts[key] = counts.get(key, 0) + cell.completions
        totals: dict[tuple[str, str, str], list[int]] = {}
        for row in sums:
            key3 = (row.instrument, week_label(date.fromisoformat(row.day)), row.dimension)
            acc = totals.setdefault(key3, [0, 0])
            acc[0] += row.total
            acc[1] += row.answered
        labels = [week_label(first + timedelta(weeks=n)) for n in range(weeks)]
        insights = []
        # Titles and dimension names in the moderator's language, looked up as shown.
        here = self.content.for_locale(current_locale()).instruments
        for instrument in sorted(here.values(), key=lambda i: i.title):
            cells_out = []
            for label in reversed(labels):
                count = counts.get((instrument.id, label), 0)
                if count < MIN_CELL:
                    cells_out.append(WeekCell(label, None, ()))
                    continue
                averages = []
                for dimension in instrument.dimensions:
                    total, answered = totals.get((instrument.id, label, dimension.id), [0, 0])
                    if answered >= MIN_CELL:
                        averages.append((dimension.name, round(total / answered)))
                cells_out.append(WeekCell(label, count, tuple(averages)))
            insights.append(InstrumentInsight(instrument.id, instrument.title, tuple(cells_out)))
        return insights
