import random

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
    excluded topics, a used set that is not the start of the order, a fresh server."""
    rng = random.Random(11)
    everything = rotation.eligible_keys(BUILTIN, [], [])
    for guild_id in range(300):
        state = rotation.RotationState()
        for _ in range(rng.randrange(0, 30)):
            rotation.pick(guild_id, state, rng.sample(everything, rng.randrange(1, 13)))
        stored = rotation.StoredRotation(*state.dump())
        parsed = rotation.RotationState.load(*state.dump())
        for _ in range(rng.randrange(1, 30)):
            roll = rng.random()
            if roll < 0.7:
                keys = everything
            elif roll < 0.8:
                keys = rotation.eligible_keys(BUILTIN, [], ["trust"])
            else:
                keys = sorted(rng.sample(everything, rng.randrange(0, 13)))
            expected = rotation.pick(guild_id, parsed, keys)
            assert stored.pick(guild_id, keys, frozenset(keys)) == expected
            assert rotation.RotationState.load(*stored.dump()) == parsed


def test_a_stored_rotation_takes_the_next_key_without_parsing() -> None:
    keys = rotation.eligible_keys(BUILTIN, [], [])
    state = rotation.RotationState()
    rotation.pick(5, state, keys)
    stored = rotation.StoredRotation(*state.dump())
    order = state.sequence
    assert [stored.pick(5, keys) for _ in range(3)] == order[1:4]
    assert stored.dump() == ("\n".join(order), "\n".join(order[:4]))
    assert stored._state is None  # the common pick never parsed the stored text
