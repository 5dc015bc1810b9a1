"""/selfcheck history, insights and privacy end to end: saved results, counts, no member id."""

from __future__ import annotations

import copy
import logging
import sqlite3
from datetime import timedelta

import pytest

from standin.harness import Sandbox
from standin.people import Person, Reply
from tests.e2e.helpers import bot_of, clock_of
from tests.e2e.selfcheck_support import (
    answer_all,
    begin,
    button,
    instrument_of,
    private,
    stale,
    table_rows,
)


def field(reply: Reply, name: str) -> str:
    assert reply.embed is not None
    return str(next(f["value"] for f in reply.embed["fields"] if f["name"] == name))


async def full_check(person: Person, sandbox: Sandbox, instrument_id: str, label: str) -> Reply:
    count = len(instrument_of(sandbox, instrument_id).items)
    return await answer_all(person, await begin(person, instrument_id), count, label)


# -- history ----------------------------------------------------------------------------------


async def test_save_once_then_history_shows_a_trend(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    result = await full_check(alice, sandbox, "give-and-take", "Often")
    before = stale(result)
    saved = private(await alice.click(copy.deepcopy(before), "Save to my private history"))
    again = private(await alice.click(copy.deepcopy(before), "Save to my private history"))
    assert "Saved to your private history" in saved.content
    assert "already in your private history" in again.content
    assert button(again, "Saved to your private history")["disabled"] is True
    assert len(table_rows(sandbox, "SELECT * FROM selfcheck_history")) == 1

    clock_of(sandbox).advance(timedelta(days=7))
    second = await full_check(alice, sandbox, "give-and-take", "Never")
    private(await alice.click(second, "Save to my private history"))
    history = private(await alice.slash("selfcheck history"))
    assert "Give and take · 2 saved · 2026-06-01 to 2026-06-08" in history.text
    assert "How much I lean on them" in history.text
    assert history.labels() == ["Delete “Give and take”", "Delete all"]
    mine = private(await alice.slash("mydata show"))
    assert "Self-check history" in mine.text
    bobs = private(await sandbox.person("bob").slash("selfcheck history"))
    assert "You have no saved results" in bobs.text and bobs.components == []


async def test_history_deletion_asks_first(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    for instrument_id in ("give-and-take", "healthy-dependence"):
        result = await full_check(alice, sandbox, instrument_id, "Sometimes")
        private(await alice.click(result, "Save to my private history"))
    history = private(await alice.slash("selfcheck history"))
    ask = private(await alice.click(history, "Delete “Give and take”"))
    assert "cannot be undone" in ask.content and ask.labels() == ["Yes, delete", "Keep it"]
    kept = private(await alice.click(ask, "Keep it"))
    assert "Nothing was deleted" in kept.content
    assert len(table_rows(sandbox, "SELECT * FROM selfcheck_history")) == 2
    ask = private(await alice.click(kept, "Delete “Give and take”"))
    done = private(await alice.click(ask, "Yes, delete"))
    assert "Deleted 1 saved result" in done.content
    assert "Healthy dependence" in done.text and "Give and take ·" not in done.text
    ask = private(await alice.click(done, "Delete all"))
    done = private(await alice.click(ask, "Yes, delete"))
    assert table_rows(sandbox, "SELECT * FROM selfcheck_history") == []
    assert "You have no saved results" in done.text


async def test_mydata_delete_removes_saved_results_too(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    result = await full_check(alice, sandbox, "give-and-take", "Rarely")
    private(await alice.click(result, "Save to my private history"))
    confirm = private(await alice.slash("mydata delete"))
    done = private(await alice.click(confirm, "Delete everything"))
    assert "1 stored item" in done.content
    assert table_rows(sandbox, "SELECT * FROM selfcheck_history") == []


# -- insights ---------------------------------------------------------------------------------


async def test_insights_show_counts_and_averages_only_from_five(sandbox: Sandbox) -> None:
    alice, mod = sandbox.person("alice"), sandbox.person("mod")
    clock = clock_of(sandbox)
    for _ in range(4):
        await full_check(alice, sandbox, "give-and-take", "Always")
        clock.advance(timedelta(minutes=2))
    below = private(await mod.slash("insights"))
    assert field(below, "Give and take") == "No week has 5 checks yet."
    assert below.embed is not None
    assert not any("averages" in f["name"] for f in below.embed["fields"])
    await full_check(alice, sandbox, "give-and-take", "Always")
    above = private(await mod.slash("insights", weeks=2))
    assert field(above, "Give and take") == (
        "**2026-W23**: 5 checks\n1 other week: fewer than 5 checks each."
    )
    averages = field(above, "Give and take · 2026-W23 · averages")
    assert "80 · How much I lean on them" in averages  # four Always, one reversed
    assert field(above, "Healthy dependence") == "No week has 5 checks yet."


async def test_insights_are_refused_to_members_with_the_reason(sandbox: Sandbox) -> None:
    refused = private(await sandbox.person("alice").slash("insights"))
    assert "Manage Server" in refused.text and "for moderators" in refused.text


# -- privacy ----------------------------------------------------------------------------------


async def check_and_save(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    result = await full_check(alice, sandbox, "codependent-patterns", "Often")
    private(await alice.click(result, "Save to my private history"))
    private(await alice.slash("selfcheck history"))
    private(await alice.slash("mydata show"))


async def test_the_member_id_is_nowhere_after_a_check_with_save(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await check_and_save(sandbox)
    alice = sandbox.person("alice")
    instrument = instrument_of(sandbox, "codependent-patterns")
    member_id = alice.id
    database = sqlite3.connect(bot_of(sandbox).settings.database_path)
    try:
        tables = [
            row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        assert {"selfcheck_history", "selfcheck_completions"} <= set(tables)
        assert database.execute("SELECT COUNT(*) FROM selfcheck_history").fetchone()[0] == 1
        for table in tables:
            for row in database.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    assert value != member_id and str(member_id) not in str(value), table
    finally:
        database.close()
    # The stand-in plays Discord, so its own records are not the bot's output.
    ours = [r for r in caplog.records if not r.name.startswith("standin")]
    assert any("codependent-patterns result saved" in r.getMessage() for r in ours)
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in ours)
    assert str(member_id) not in logged
    for item in instrument.items:
        assert item.text not in logged
