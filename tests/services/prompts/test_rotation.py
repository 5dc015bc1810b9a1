import random
from dataclasses import replace

from bot.content.model import Prompt
from bot.services.prompts import rotation
from bot.services.prompts.model import CustomPrompt

BUILTIN = {
    f"p-{i:03d}": Prompt(f"p-{i:03d}", "trust" if i % 2 else "boundaries", f"text {i}")
    for i in range(12)
}


def test_no_repeat_until_every_eligible_prompt_was_used() -> None:
    state = rotation.RotationState()
    keys = rotation.eligible_keys(BUILTIN, [], [])
    first_cycle = [rotation.pick(7, state, keys) for _ in keys]
    assert sorted(first_cycle) == sorted(keys)  # each exactly once
    second_cycle = [rotation.pick(7, state, keys) for _ in keys]
    assert sorted(second_cycle) == sorted(keys)
    assert second_cycle[0] != first_cycle[-1]  # no back-to-back repeat across cycles
    assert first_cycle != sorted(keys)  # shuffled


def test_the_order_survives_a_round_trip_through_storage() -> None:
    keys = rotation.eligible_keys(BUILTIN, [], [])
    state = rotation.RotationState()
    picked = [rotation.pick(1, state, keys) for _ in range(5)]
    stored = rotation.RotationState.load(*state.dump())
    rest = [rotation.pick(1, stored, keys) for _ in range(len(keys) - 5)]
    assert sorted(picked + rest) == sorted(keys)


def test_peek_shows_what_pick_will_give() -> None:
    keys = rotation.eligible_keys(BUILTIN, [], [])
    state = rotation.RotationState()
    for _ in range(len(keys) + 3):  # crosses a cycle boundary too
        expected = rotation.peek(3, state, keys)
        assert rotation.pick(3, state, keys) == expected


def test_custom_prompts_join_and_excluded_topics_leave() -> None:
    custom = [
        CustomPrompt(1, 9, "our own", None, None),
        CustomPrompt(2, 9, "own trust", "trust", None),
    ]
    state = rotation.RotationState()
    keys = rotation.eligible_keys(BUILTIN, [], ["trust"])
    assert all(BUILTIN[k].topic == "boundaries" for k in keys)
    picked = [rotation.pick(9, state, keys) for _ in range(3)]
    # Mid-cycle a custom prompt is added and "trust" is still excluded.
    keys = rotation.eligible_keys(BUILTIN, custom, ["trust"])
    assert "c:1" in keys and "c:2" not in keys
    rest = [rotation.pick(9, state, keys) for _ in range(len(keys) - 3)]
    assert sorted(picked + rest) == sorted(keys)
    assert rotation.prompt_text("c:1", BUILTIN, {c.key: c for c in custom}).text == "our own"  # type: ignore[union-attr]


def test_nothing_eligible_gives_none() -> None:
    assert rotation.pick(1, rotation.RotationState(), []) is None


def test_a_stored_rotation_picks_as_the_parsed_state_does() -> None:
    """Every way a pick can go: part-way through a cycle, a cycle's end, prompts joining,
    excluded topics, keys used out of turn, a fresh server, an order stored before decks."""
    rng = random.Random(11)
    everything = rotation.eligible_keys(BUILTIN, [], [])
    covers: dict[tuple[str, frozenset[str]], bool] = {}
    for guild_id in range(300):
        state = rotation.RotationState()
        for _ in range(rng.randrange(0, 30)):
            rotation.pick(guild_id, state, rng.sample(everything, rng.randrange(1, 13)))
        if rng.random() < 0.2:  # a queued prompt, taken out of turn as `queue.take` does
            queued = rng.choice(everything)
            if queued not in state.sequence:
                state.sequence.insert(0, queued)
            state.used.add(queued)
        stored = state.stored()
        if rng.random() < 0.2:
            stored = replace(stored, deck=None)
        parsed = rotation.RotationState.of(stored)
        assert parsed == state
        picking = rotation.StoredRotation(stored)
        for _ in range(rng.randrange(1, 30)):
            roll = rng.random()
            if roll < 0.7:
                keys = everything
            elif roll < 0.8:
                keys = rotation.eligible_keys(BUILTIN, [], ["trust"])
            else:
                keys = sorted(rng.sample(everything, rng.randrange(0, 13)))
            expected = rotation.pick(guild_id, parsed, keys)
            assert picking.pick(guild_id, keys, frozenset(keys), covers) == expected
            order, place = picking.rows()
            assert rotation.RotationState.of(replace(order or stored, reached=place.reached,
                                                     used=place.used)) == parsed  # fmt: skip
        if order is not None:
            stored = order


def test_a_stored_rotation_moves_on_without_rewriting_the_order() -> None:
    keys = rotation.eligible_keys(BUILTIN, [], [])
    state = rotation.RotationState()
    rotation.pick(5, state, keys)
    stored = state.stored()
    assert (stored.reached, stored.used) == (1, "")
    picking = rotation.StoredRotation(stored)
    assert [picking.pick(5, keys) for _ in range(3)] == state.sequence[1:4]
    order, place = picking.rows()
    assert order is None  # the order is stored as it is
    assert (place.reached, place.used) == (4, "")
    assert picking._state is None  # the common pick never parsed the stored text


def test_an_order_from_before_decks_is_written_once_with_its_deck() -> None:
    keys = rotation.eligible_keys(BUILTIN, [], [])
    state = rotation.RotationState()
    rotation.pick(5, state, keys)
    picking = rotation.StoredRotation(replace(state.stored(), deck=None))
    picking.pick(5, keys)
    order, place = picking.rows()
    assert order is not None and order.deck == rotation.deck_of(keys)
    assert place.reached == 2
