"""Another process holds the database's write lock: every member is answered within Discord's
3 s, each write lands once the lock is free, and one that cannot says so and keeps the text."""

from __future__ import annotations

import asyncio
import copy
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.db.settings import get_settings
from standin.harness import Sandbox
from standin.people import Reply
from tests.e2e.helpers import bot_of
from tests.e2e.selfcheck_support import table_rows
from tests.e2e.test_selfcheck_history import full_check

SUGGESTION = "What did you let someone else carry for you this week?"
RULES = "Listen first. Speak from your own experience."


@contextmanager
def write_lock(sandbox: Sandbox) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` from another connection, as a backup or an sqlite3 shell would hold it."""
    other = sqlite3.connect(bot_of(sandbox).settings.database_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


def release_after(other: sqlite3.Connection, seconds: float) -> None:
    asyncio.get_running_loop().call_later(seconds, other.execute, "ROLLBACK")


async def filled(sandbox: Sandbox, reply: Reply, *words: str, within: float = 15) -> str:
    """The deferred answer once it is filled in with one of `words`."""
    await sandbox.wait_for(
        lambda: any(w in reply.text for w in words), within, f"an answer with {words}"
    )
    return reply.text


async def test_writes_during_a_long_lock_are_answered_in_time_and_all_stored(
    sandbox: Sandbox,
) -> None:
    mod, alice, bob = (sandbox.person(n) for n in ("mod", "alice", "bob"))
    result = await full_check(alice, sandbox, "give-and-take", "Often")
    confirm = await bob.slash("mydata delete")
    rules_form = await mod.slash("config ground-rules")
    suggest_form = await alice.slash("prompt suggest")

    with write_lock(sandbox) as other:
        release_after(other, 4.5)  # longer than Discord's 3 s, shorter than a write's patience
        replies = await asyncio.gather(
            mod.slash("prompts setup", channel="reflections", time="15:00", timezone="UTC"),
            mod.slash("config anonymous-questions", mode="direct"),
            mod.submit_modal(rules_form, {"text": RULES}),
            alice.submit_modal(suggest_form, {"The prompt": SUGGESTION}),
            alice.click(copy.deepcopy(result.message), "Save to my private history"),
            bob.click(confirm, "Delete everything"),
        )
        assert all(r.acknowledged for r in replies)  # within 3 s, or the stand-in would fail
    setup, mode, rules, suggested, saved, deleted = replies
    await filled(sandbox, setup, "Daily prompts are set")
    await filled(sandbox, mode, "Anonymous questions: Direct")
    await filled(sandbox, rules, "Saved.")
    await filled(sandbox, suggested, "with the moderators")
    await filled(sandbox, saved, "Saved to your private history")
    await filled(sandbox, deleted, "about you w")  # "was" or "were" deleted, by the count

    db = bot_of(sandbox).db
    settings = await get_settings(db, sandbox.guild.id)
    assert (settings.ground_rules, settings.anonymous_mode) == (RULES, "direct")
    assert table_rows(sandbox, "SELECT COUNT(*) FROM prompt_schedules") == [(1,)]
    assert table_rows(sandbox, "SELECT text FROM prompt_suggestions") == [(SUGGESTION,)]
    assert table_rows(sandbox, "SELECT COUNT(*) FROM selfcheck_history") == [(1,)]


async def test_a_write_that_cannot_finish_says_so_and_gives_the_text_back(
    sandbox: Sandbox,
) -> None:
    mod, alice = sandbox.person("mod"), sandbox.person("alice")
    bot_of(sandbox).db.write_patience = 1.0
    result = await full_check(alice, sandbox, "give-and-take", "Often")
    rules_form = await mod.slash("config ground-rules")
    suggest_form = await alice.slash("prompt suggest")

    with write_lock(sandbox):
        rules = await mod.submit_modal(rules_form, {"text": RULES})
        suggested = await alice.submit_modal(suggest_form, {"The prompt": SUGGESTION})
        saved = await alice.click(copy.deepcopy(result.message), "Save to my private history")
        for reply in (rules, suggested, saved):
            await filled(sandbox, reply, "Nothing was saved")
    for reply, typed in ((rules, RULES), (suggested, SUGGESTION)):
        assert "Here is what you wrote, so it isn't lost" in reply.text
        assert typed in reply.text and "nothing was lost" not in reply.text.lower()
    assert table_rows(sandbox, "SELECT COUNT(*) FROM selfcheck_history") == [(0,)]
    assert (await get_settings(bot_of(sandbox).db, sandbox.guild.id)).ground_rules is None
    # The Save button is still there, and the form reopens filled in: nothing is typed twice.
    again = await alice.click(copy.deepcopy(result.message), "Save to my private history")
    await filled(sandbox, again, "Saved to your private history")
    reopened = await mod.click(rules, "Edit and send again")
    assert reopened.modal is not None
    assert reopened.modal["components"][0]["components"][0]["value"] == RULES
    resent = await mod.submit_modal(reopened, {"text": RULES})
    await filled(sandbox, resent, "Saved.")
    assert (await get_settings(bot_of(sandbox).db, sandbox.guild.id)).ground_rules == RULES


async def test_a_failed_form_never_claims_nothing_was_lost(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    mod = sandbox.person("mod")
    form = await mod.slash("config ground-rules")

    async def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sys.modules["cogs.config"], "update_settings", broken)
    failed = await mod.submit_modal(form, {"text": RULES})
    text = await filled(sandbox, failed, "error id")
    assert "nothing was lost" not in text.lower()
    assert RULES in text and failed.labels() == ["Edit and send again"]
