"""The stand-in refuses option values as Discord's client does: types, ranges, lengths, choices,
and autocomplete only where the command declares it."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin.harness import Sandbox
from standin.payloads import InvalidInput
from tests.standin.test_console import play


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        ({"topic": "trust", "duration": "1h"}, "'1h' is not a whole number"),
        ({"topic": "trust", "duration": 5}, "5 is outside 10 to 10080"),
        ({"topic": "trust", "slowmode": 999999}, "outside 0 to 21600"),
    ],
)
async def test_numbers_are_refused_outside_their_type_and_range(
    sandbox: Sandbox, options: dict[str, object], refusal: str
) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        await sandbox.person("mod").slash("discuss start", **options)


async def test_choices_and_booleans_are_refused_when_not_offered(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    with pytest.raises(InvalidInput, match="not one of the choices"):
        await mod.slash("config anonymous-questions", mode="sometimes")
    with pytest.raises(InvalidInput, match="is not True or False"):
        await mod.slash(
            "prompts setup", channel="reflections", time="9am", timezone="UTC", pin="maybe"
        )
    done = await mod.slash("config anonymous-questions", mode="direct")  # by value works too
    assert "Direct" in done.text


async def test_autocomplete_only_where_the_option_declares_it(sandbox: Sandbox) -> None:
    with pytest.raises(InvalidInput, match="has no autocomplete"):
        await sandbox.person("mod").autocomplete("prompts setup", "time", "9")
    offered = await sandbox.person("mod").autocomplete("prompts setup", "timezone", "berl")
    assert offered


def test_the_console_prints_a_refusal_and_goes_on(tmp_path: Path) -> None:
    result = play(
        tmp_path,
        "as mod: /discuss start topic:trust duration:1h\n/about\nexpect About Mutual\n",
    )
    assert "'1h' is not a whole number" in result.stdout
    assert "ok: saw 'About Mutual'" in result.stdout
    assert "Traceback" not in result.stderr
