"""The self-check services one bot shares between its commands and its dynamic buttons.

Dynamic items are rebuilt from a custom id on every click and only see the interaction, so they
find these services through the bot rather than holding them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.content.model import Instrument, SafetyKind
from bot.services.exclusions import Exclusions, exclusions_for
from bot.services.resources import ResourceList, resources_for
from bot.services.selfcheck import InstrumentCodes, SelfCheckHistory, SelfCheckInsights

if TYPE_CHECKING:
    from bot.app import MutualBot

log = logging.getLogger(__name__)
RELATED_KEPT = 512
"""Distinct (topics, limit) lookups remembered; results order a handful of topics, so few occur."""


@dataclass
class SelfCheckFeature:
    bot: MutualBot
    codes: InstrumentCodes
    history: SelfCheckHistory
    insights: SelfCheckInsights
    # The excerpt library is built once from content and never changes, and ranking its
    # excerpts for a result's topics costs more than drawing the whole result; remember
    # each answer for as long as the same library is in use.
    _related: dict[tuple[tuple[str, ...], int, Exclusions], list[tuple[str, str]]] = field(
        default_factory=dict, repr=False
    )
    _related_source: object = field(default=None, repr=False)

    @classmethod
    def build(cls, bot: MutualBot) -> SelfCheckFeature:
        return cls(
            bot=bot,
            codes=InstrumentCodes(bot.content.instruments.values()),
            history=SelfCheckHistory(bot.db, bot.hasher, bot.content),
            insights=SelfCheckInsights(bot.db, bot.content, bot.hasher),
        )

    def instrument(self, code: str) -> Instrument:
        """The instrument a session code names, in the current locale. The codes know the
        instruments as loaded; a translation has the same items, dimensions and thresholds, so
        a session started in one language reads the same in another, and every text shown is
        looked up here, when it is shown. Raises SessionError for a code no longer known."""
        loaded = self.codes.instrument(code)
        return self.bot.content.instruments.get(loaded.id, loaded)

    async def prune_counted(self) -> None:
        """Housekeeping: tokens of counted sessions are only needed while a session can run."""
        removed = await self.insights.prune(self.bot.clock.now().date())
        log.debug("Pruned %d counted self-check session token(s)", removed)

    async def resources(self, guild_id: int | None, kinds: tuple[str, ...] = ()) -> ResourceList:
        return await resources_for(self.bot.db, self.bot.content, guild_id, kinds=kinds)

    def safety_kinds(self, kinds: tuple[str, ...]) -> list[SafetyKind]:
        return [self.bot.content.safety[k] for k in kinds if k in self.bot.content.safety]

    async def related_excerpts(
        self, topics: tuple[str, ...], limit: int, guild_id: int | None = None
    ) -> list[tuple[str, str]]:
        """(text, attribution) pairs from the excerpt library, or none when it fails.

        Only excerpts the server has not left out, and only those without a content note: a
        result is no place to meet a hard passage unannounced."""
        library = self.bot.excerpts
        if not topics:
            return []
        if library is not self._related_source:
            self._related.clear()
            self._related_source = library
        exclusions = await exclusions_for(self.bot.db, guild_id)
        key = (topics, limit, exclusions)
        known = self._related.get(key)
        if known is not None:
            return list(known)
        try:
            found = [
                e
                for e in library.related(list(topics), limit=limit + 4, exclusions=exclusions)
                if not e.content_notes
            ]
            pairs = [(str(e.text), str(library.attribution(e))) for e in list(found)[:limit]]
        except Exception:
            log.exception("Related excerpts failed; showing the instrument's own text instead")
            return []
        if len(self._related) >= RELATED_KEPT:
            self._related.clear()
        self._related[key] = pairs
        return list(pairs)


def feature_of(client: MutualBot) -> SelfCheckFeature:
    found = client.selfcheck
    if found is None:
        raise RuntimeError("the self-check feature is not loaded")
    return found
