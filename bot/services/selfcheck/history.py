"""Opt-in history: only what the member chose to save, filed under a keyed hash of their id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.content.model import Content, Instrument
from bot.db import Storage
from bot.db import selfcheck as repo
from bot.i18n import N_, current_locale, ngettext
from bot.services.privacy import KeyedHasher, StoredItem
from bot.services.selfcheck.charts import sparkline
from bot.services.selfcheck.session import Session, encode_scores

HISTORY_SCOPE = "selfcheck-history"
TREND_POINTS = 12


@dataclass(frozen=True)
class DimensionTrend:
    name: str
    spark: str
    latest: int | None
    latest_level: str | None
    values: tuple[int | None, ...] = ()
    """The saved results behind `spark`, oldest first (None: skipped that time)."""


@dataclass(frozen=True)
class Trend:
    instrument_id: str
    title: str
    count: int
    first_day: str
    last_day: str
    dimensions: tuple[DimensionTrend, ...]


class SelfCheckHistory:
    """Also the PersonalDataProvider for self-checks: /mydata shows and deletes the same rows."""

    # The provider's key and the export's section name; shown to the member through `_()`.
    feature = N_("Self-check history")
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "selfcheck_history": ("member_key", "save_token", "scores")
    }
    # The anonymous daily counts of a server belong to the feature too.
    server_tables: ClassVar[tuple[str, ...]] = (
        "selfcheck_completions",
        "selfcheck_dimension_sums",
        "selfcheck_counted_sessions",
    )

    def __init__(self, db: Storage, hasher: KeyedHasher, content: Content) -> None:
        self.db = db
        self.hasher = hasher
        self.content = content

    def member_key(self, user_id: int) -> str:
        return self.hasher.key(HISTORY_SCOPE, user_id)

    async def save(
        self, user_id: int, session: Session, instrument: Instrument, scores: dict[str, int]
    ) -> bool:
        return await repo.save_result(
            self.db,
            member_key=self.member_key(user_id),
            instrument=instrument.id,
            taken_on=session.taken_on().isoformat(),
            save_token=session.save_token(self.hasher, user_id, encode_scores(instrument, scores)),
            scores=scores,
        )

    async def trends(self, user_id: int) -> list[Trend]:
        # Titles, dimension names and levels in the member's language, looked up as shown.
        instruments = self.content.for_locale(current_locale()).instruments
        found = await repo.recent_history(
            self.db, self.member_key(user_id), sorted(instruments), TREND_POINTS
        )
        trends: list[Trend] = []
        for entry in found:
            instrument = instruments.get(entry.instrument)
            if instrument is None or not entry.rows:
                continue
            dims = []
            for dimension in instrument.dimensions:
                values = [row.scores.get(dimension.id) for row in entry.rows]
                latest = values[-1]
                dims.append(
                    DimensionTrend(
                        name=dimension.name,
                        spark=sparkline(values),
                        latest=latest,
                        latest_level=dimension.band_for(latest).level
                        if latest is not None
                        else None,
                        values=tuple(values),
                    )
                )
            trends.append(
                Trend(
                    instrument_id=instrument.id,
                    title=instrument.title,
                    count=entry.total,
                    first_day=entry.first_day,
                    last_day=entry.rows[-1].taken_on,
                    dimensions=tuple(dims),
                )
            )
        return sorted(trends, key=lambda trend: trend.title)

    async def describe(self, user_id: int) -> list[StoredItem]:
        trends = await self.trends(user_id)
        return [
            StoredItem(
                self.feature,
                ngettext(
                    "{count} saved result of “{title}” ({first} to {last}): scores and dates only",
                    "{count} saved results of “{title}” ({first} to {last}): scores and dates only",
                    trend.count,
                ).format(
                    count=trend.count,
                    title=trend.title,
                    first=trend.first_day,
                    last=trend.last_day,
                ),
            )
            for trend in trends
        ]

    async def delete(self, user_id: int, instrument_id: str | None = None) -> int:
        return await repo.delete_history(self.db, self.member_key(user_id), instrument_id)

    async def export(self, user_id: int) -> list[dict[str, Any]]:
        rows = await repo.history(self.db, self.member_key(user_id))
        return [
            {"self_check": row.instrument, "taken_on": row.taken_on, "scores": row.scores}
            for row in rows
        ]

    async def erase(self, user_id: int) -> int:
        return await self.delete(user_id)

    async def forget_guild(self, guild_id: int) -> int:
        """Saved history belongs to the member, not a server; the server's counts go."""
        return await repo.forget_guild(self.db, guild_id)
