"""The same-shape echo answers every step of a check as Mutual did, so the benchmark's ratio to
it measures Mutual's own work and nothing of the messages' size or kind."""

from __future__ import annotations

from pathlib import Path

from bench._common import bench_sandbox, world_with
from bench._shape import Step, snapshot
from bench.selfcheck import ceiling_bot, checks, recorded_shapes
from standin.people import Reply
from standin.state import Json


async def test_the_echo_answers_each_step_with_the_message_mutual_sent(tmp_path: Path) -> None:
    spec = tmp_path / "no-spec.json"
    (tmp_path / "shapes").mkdir()
    script = await recorded_shapes(tmp_path / "shapes", spec)
    assert sorted(script) == sorted(i for i, _ in checks("echo start").instruments)
    kinds = {step.kind for steps in script.values() for step in steps}
    assert kinds == {"send", "update", "defer-edit"}
    assert any(step.followups for steps in script.values() for step in steps)

    echoed: dict[str, list[Step]] = {}
    states: dict[str, Json | None] = {}

    def keep(instrument: str, reply: Reply) -> None:
        step, states[instrument] = snapshot(reply, states.get(instrument))
        echoed.setdefault(instrument, []).append(step)

    world, names = world_with(1)
    # Settling after each answer, as the recording does, so followups are compared too.
    async with bench_sandbox(lambda: ceiling_bot(script), world, spec) as sandbox:
        sandbox.settle_quiet = 0.03
        walk = checks("echo start")
        for _ in walk.instruments:
            await walk.run(sandbox.person(names[0]), [], keep)
        sandbox.assert_no_failures()
    for instrument, steps in script.items():
        assert len(echoed[instrument]) == len(steps), instrument
        for number, (mutual, echo) in enumerate(zip(steps, echoed[instrument], strict=True)):
            assert echo == mutual, f"{instrument}, step {number}"
