"""The invariant a member in danger relies on: whenever a safety answer reaches its threshold,
the result carries that safety kind and no reading that reassures.

Safety items never count into readings, and each reading depends only on its own dimension's
answers, so checking every answer to every counting item of each dimension (with each safety
item at each answer at or over its threshold) covers every result that can be shown.
"""

from __future__ import annotations

import itertools

from bot.content import Content, Instrument
from bot.content.model import MAX_ANSWER
from bot.services.selfcheck.scoring import score

CHOICES: tuple[int | None, ...] = (None, *range(MAX_ANSWER + 1))


def _cases(instrument: Instrument):  # type: ignore[no-untyped-def]
    for safety_index, safety_item in enumerate(instrument.items):
        if safety_item.safety is None or safety_item.safety_threshold is None:
            continue
        for safety_answer in range(safety_item.safety_threshold, MAX_ANSWER + 1):
            for dimension in instrument.dimensions:
                counting = [
                    i
                    for i, item in enumerate(instrument.items)
                    if item.dimension == dimension.id and item.safety is None
                ]
                for combo in itertools.product(CHOICES, repeat=len(counting)):
                    answers: list[int | None] = [2] * len(instrument.items)
                    answers[safety_index] = safety_answer
                    for index, value in zip(counting, combo, strict=True):
                        answers[index] = value
                    yield safety_item.safety, answers


def test_every_safety_answer_withholds_every_reassuring_band(content: Content) -> None:
    checked = 0
    for instrument in content.instruments.values():
        for kind, answers in _cases(instrument):
            result = score(instrument, answers)
            assert kind in result.safety_kinds
            for reading in result.dimensions:
                assert reading.band is None or not reading.band.reassures, (
                    f"{instrument.id}: {reading.dimension.id} reassures beside a {kind} answer"
                )
            checked += 1
    assert checked > 1000


def test_below_every_threshold_nothing_is_withheld(content: Content) -> None:
    for instrument in content.instruments.values():
        answers: list[int | None] = [
            0 if item.safety is not None else MAX_ANSWER for item in instrument.items
        ]
        result = score(instrument, answers)
        assert not result.safety
        assert not any(reading.withheld for reading in result.dimensions)


def test_reassuring_bands_exist_where_safety_is_asked(content: Content) -> None:
    """The invariant above is only meaningful if reassuring bands are marked at all."""
    for instrument in content.instruments.values():
        if any(item.safety for item in instrument.items):
            assert any(band.reassures for d in instrument.dimensions for band in d.bands)
