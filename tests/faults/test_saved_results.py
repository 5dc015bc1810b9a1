"""Two different self-checks saved in the same minute are two results, never one discarded."""

from __future__ import annotations

import copy

from standin.harness import Sandbox
from tests.e2e.selfcheck_support import answer_all, begin, instrument_of, private, table_rows
from tests.e2e.test_selfcheck_history import full_check


async def test_two_checks_started_in_the_same_minute_are_both_kept(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    first = await full_check(alice, sandbox, "give-and-take", "Often")
    second = await full_check(alice, sandbox, "give-and-take", "Never")  # same fake minute
    saved = private(await alice.click(copy.deepcopy(first.message), "Save to my private history"))
    also = private(await alice.click(copy.deepcopy(second.message), "Save to my private history"))
    assert "Saved to your private history" in saved.content
    assert "Saved to your private history" in also.content
    rows = table_rows(sandbox, "SELECT scores FROM selfcheck_history")
    assert len(rows) == 2 and rows[0] != rows[1]
    # The same result clicked twice is still stored once.
    private(await alice.click(copy.deepcopy(second.message), "Save to my private history"))
    assert len(table_rows(sandbox, "SELECT * FROM selfcheck_history")) == 2


async def test_a_check_restarted_within_the_minute_saves_separately(sandbox: Sandbox) -> None:
    bob = sandbox.person("bob")
    count = len(instrument_of(sandbox, "give-and-take").items)
    one = await answer_all(bob, await begin(bob, "give-and-take"), count, "Rarely")
    two = await answer_all(bob, await begin(bob, "give-and-take"), count, "Always")
    for result in (one, two):
        private(await bob.click(copy.deepcopy(result.message), "Save to my private history"))
    assert len(table_rows(sandbox, "SELECT * FROM selfcheck_history")) == 2
