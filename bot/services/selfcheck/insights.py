"""Server-wide counts for moderators, built so that no number can be matched to a person.

A completion adds one to a (server, instrument, day) counter and folds its scores into
per-dimension sums; nothing else is kept. Moderators see ISO weeks, and a week's count and
averages only when at least MIN_CELL checks fall in it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from bot.content.model import Content
from bot.db import Database
from bot.db import selfcheck as repo

MIN_CELL = 5
RECENT_SESSIONS = 4096


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
    def __init__(self, db: Database, content: Content) -> None:
        self.db = db
        self.content = content
        # Sessions already counted, so the same result shown twice (a double click on the last
        # answer, Back then forward) counts once. Memory only: it names no one and expires.
        self._counted: OrderedDict[str, None] = OrderedDict()

    async def record(
        self, guild_id: int, instrument_id: str, day: date, scores: dict[str, int], session_key: str
    ) -> bool:
        if session_key in self._counted:
            return False
        self._counted[session_key] = None
        while len(self._counted) > RECENT_SESSIONS:
            self._counted.popitem(last=False)
        await repo.record_completion(self.db, guild_id, instrument_id, day.isoformat(), scores)
        return True

    async def weekly(self, guild_id: int, today: date, weeks: int = 4) -> list[InstrumentInsight]:
        first = week_start(today) - timedelta(weeks=weeks - 1)
        last = week_start(today) + timedelta(days=6)
        cells = await repo.completions_between(
            self.db, guild_id, first.isoformat(), last.isoformat()
        )
        sums = await repo.sums_between(self.db, guild_id, first.isoformat(), last.isoformat())
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
        for instrument in sorted(self.content.instruments.values(), key=lambda i: i.title):
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
