"""Turning answers into per-dimension readings, balance feedback and safety flags.

Scores are the percentage of the dimension's maximum over the items answered, so a skipped item
neither lowers nor raises a reading; a dimension with every item skipped has no reading at all.

Safety items never count into a reading: a member who says they are afraid of someone must not
be told, by the arithmetic of the other answers, that they seem secure. When any safety answer
reaches its threshold, every band that reassures is withheld from the result, so no screen can
contradict the safety note that opens it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.content.model import MAX_ANSWER, Band, Dimension, Instrument, Item

Answers = Sequence[int | None]


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    percent: int | None
    band: Band | None
    answered: int
    total: int
    withheld: bool = False
    """The band reassures and a safety answer was given: its text is not shown."""


@dataclass(frozen=True)
class Result:
    instrument: Instrument
    dimensions: tuple[DimensionResult, ...]
    balance_text: str | None
    safety_kinds: tuple[str, ...]
    """The safety kinds whose threshold an answer reached, in the instrument's item order."""
    answered: int
    skipped: int
    scores: dict[str, int] = field(default_factory=dict)

    @property
    def safety(self) -> bool:
        return bool(self.safety_kinds)

    @property
    def topics(self) -> tuple[str, ...]:
        """Topics of the dimensions, the most pronounced reading first, for related excerpts."""
        scored = sorted(
            (d for d in self.dimensions if d.percent is not None),
            key=lambda d: -abs((d.percent or 0) - 50),
        )
        seen: dict[str, None] = {}
        for dim in scored:
            for topic in dim.dimension.topics:
                seen.setdefault(topic, None)
        return tuple(seen)


def item_value(item: Item, answer: int) -> int:
    return MAX_ANSWER - answer if item.reverse else answer


def is_safety_answer(item: Item, answer: int | None) -> bool:
    """Raw answer (not reverse-scored): "I feel unsafe" answered Sometimes is the signal."""
    return (
        item.safety is not None
        and item.safety_threshold is not None
        and answer is not None
        and answer >= item.safety_threshold
    )


def safety_kinds(instrument: Instrument, answers: Answers) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for item, answer in zip(instrument.items, answers, strict=False):
        if item.safety is not None and is_safety_answer(item, answer):
            found.setdefault(item.safety, None)
    return tuple(found)


def percent_for(
    instrument: Instrument, dimension_id: str, answers: Answers
) -> tuple[int | None, int, int]:
    """(percent or None, items answered, items in the dimension)."""
    got = total = answered = 0
    for item, answer in zip(instrument.items, answers, strict=False):
        if item.dimension != dimension_id or item.safety is not None:
            continue
        if answer is not None:
            got += item_value(item, answer)
            answered += 1
    total = sum(
        1 for item in instrument.items if item.dimension == dimension_id and item.safety is None
    )
    if answered == 0:
        return None, 0, total
    return round(100 * got / (MAX_ANSWER * answered)), answered, total


def balance_text(instrument: Instrument, scores: dict[str, int]) -> str | None:
    balance = instrument.balance
    if balance is None or balance.first not in scores or balance.second not in scores:
        return None
    difference = scores[balance.first] - scores[balance.second]
    if abs(difference) <= balance.margin:
        return balance.even
    return balance.first_higher if difference > 0 else balance.second_higher


def score(instrument: Instrument, answers: Answers) -> Result:
    kinds = safety_kinds(instrument, answers)
    dims: list[DimensionResult] = []
    scores: dict[str, int] = {}
    for dimension in instrument.dimensions:
        percent, answered, total = percent_for(instrument, dimension.id, answers)
        band = dimension.band_for(percent) if percent is not None else None
        if percent is not None:
            scores[dimension.id] = percent
        withheld = bool(kinds) and band is not None and band.reassures
        dims.append(
            DimensionResult(
                dimension, percent, None if withheld else band, answered, total, withheld
            )
        )
    given = [a for a in answers[: len(instrument.items)] if a is not None]
    return Result(
        instrument=instrument,
        dimensions=tuple(dims),
        balance_text=balance_text(instrument, scores),
        safety_kinds=kinds,
        answered=len(given),
        skipped=min(len(answers), len(instrument.items)) - len(given),
        scores=scores,
    )


def result_from_scores(instrument: Instrument, scores: dict[str, int]) -> Result:
    """A result rebuilt from saved scores (no answers): for history and the Save button."""
    dims = tuple(
        DimensionResult(
            dimension,
            scores.get(dimension.id),
            dimension.band_for(scores[dimension.id]) if dimension.id in scores else None,
            0,
            0,
        )
        for dimension in instrument.dimensions
    )
    return Result(instrument, dims, balance_text(instrument, scores), (), 0, 0, dict(scores))
