from __future__ import annotations

from bot.content import Content
from bot.services.selfcheck.scoring import is_safety_answer, result_from_scores, score


def test_all_never_scores_zero_except_reverse_items(content: Content) -> None:
    instrument = content.instruments["healthy-dependence"]
    result = score(instrument, [0] * len(instrument.items))
    by_id = {d.dimension.id: d.percent for d in result.dimensions}
    # trust: trust-1 (0), trust-2 reverse (4); trust-3 asks about safety and never counts
    assert by_id["trust"] == round(100 * 4 / 8)
    assert by_id["growth"] == 0
    assert result.answered == len(instrument.items) and result.skipped == 0


def test_skipped_items_neither_raise_nor_lower_a_reading(content: Content) -> None:
    instrument = content.instruments["codependent-patterns"]
    answers: list[int | None] = [4 if not item.reverse else 0 for item in instrument.items]
    full = score(instrument, answers)
    answers[0] = None
    partial = score(instrument, answers)
    first_dim = instrument.items[0].dimension
    assert full.scores[first_dim] == partial.scores[first_dim] == 100
    assert partial.skipped == 1


def test_a_dimension_with_every_item_skipped_has_no_reading(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    answers = [None if item.dimension == "i-lean" else 2 for item in instrument.items]
    result = score(instrument, answers)
    reading = {d.dimension.id: d for d in result.dimensions}
    assert reading["i-lean"].percent is None and reading["i-lean"].band is None
    assert "i-lean" not in result.scores
    assert result.balance_text is None


def test_balance_in_each_direction(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    assert instrument.balance is not None

    def answers(i_lean: int, they_lean: int) -> list[int | None]:
        out: list[int | None] = []
        for item in instrument.items:
            value = i_lean if item.dimension == "i-lean" else they_lean
            out.append(4 - value if item.reverse else value)
        return out

    assert score(instrument, answers(4, 0)).balance_text == instrument.balance.first_higher
    assert score(instrument, answers(0, 4)).balance_text == instrument.balance.second_higher
    assert score(instrument, answers(2, 2)).balance_text == instrument.balance.even


def test_safety_uses_the_raw_answer_and_the_kinds_threshold(content: Content) -> None:
    codependent = content.instruments["codependent-patterns"]
    harm = next(i for i in codependent.items if i.id == "abandonment-3")
    afraid = next(i for i in codependent.items if i.id == "enabling-3")
    hurt = next(i for i in codependent.items if i.id == "enabling-2")
    assert (harm.safety, harm.safety_threshold) == ("self-harm", 1)
    assert (afraid.safety, afraid.safety_threshold) == ("abuse", 2)
    assert (hurt.safety, hurt.safety_threshold) == ("abuse", 2)
    assert not is_safety_answer(harm, 0)
    assert is_safety_answer(harm, 1)
    assert not is_safety_answer(afraid, 1)
    assert is_safety_answer(afraid, 2)
    assert not is_safety_answer(afraid, None)
    healthy = content.instruments["healthy-dependence"]
    unsafe = next(i for i in healthy.items if i.safety)
    assert unsafe.safety == "abuse" and is_safety_answer(unsafe, 4)
    answers: list[int | None] = [1] * len(healthy.items)
    assert not score(healthy, answers).safety
    answers[healthy.items.index(unsafe)] = 2
    assert score(healthy, answers).safety_kinds == ("abuse",)


def test_safety_items_never_move_a_reading(content: Content) -> None:
    instrument = content.instruments["codependent-patterns"]
    base: list[int | None] = [2] * len(instrument.items)
    for index, item in enumerate(instrument.items):
        if item.safety is None:
            continue
        for answer in (0, 4, None):
            changed = list(base)
            changed[index] = answer
            assert score(instrument, changed).scores == score(instrument, base).scores


def test_result_from_saved_scores_restores_bands(content: Content) -> None:
    instrument = content.instruments["healthy-dependence"]
    result = result_from_scores(instrument, {"trust": 90})
    trust = next(d for d in result.dimensions if d.dimension.id == "trust")
    assert trust.band is not None and trust.band.level == "Present much of the time"
    assert result.topics[:2] == ("trust", "healthy-dependence")
