"""Self-check completions for moderator insights: a session counts once, across restarts too."""

from __future__ import annotations

import copy
import logging
import sqlite3
from datetime import timedelta
from typing import Any

import pytest

from bot.app import MutualBot
from bot.clock import FakeClock
from standin.harness import Sandbox
from standin.people import Person, Reply
from standin.state import Message
from tests.e2e.helpers import bot_of
from tests.e2e.test_selfcheck import begin, private

INSTRUMENT = "give-and-take"


def rows(bot: MutualBot, sql: str) -> list[tuple[Any, ...]]:
    database = sqlite3.connect(bot.settings.database_path)
    try:
        return list(database.execute(sql))
    finally:
        database.close()


def completions(bot: MutualBot) -> list[tuple[Any, ...]]:
    return rows(bot, "SELECT guild_id, instrument, day, completions FROM selfcheck_completions")


async def up_to_the_last_statement(person: Person, sandbox: Sandbox) -> Reply:
    count = len(bot_of(sandbox).content.instruments[INSTRUMENT].items)
    reply = await begin(person, INSTRUMENT)
    for _ in range(count - 1):
        reply = private(await person.click(reply, "Often"))
    return reply


def result_of(reply: Reply) -> Reply:
    assert reply.embed is not None and reply.embed["title"].startswith("Your reflection"), reply
    return reply


async def test_a_result_shown_again_after_a_restart_counts_once(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    alice = sandbox.person("alice")
    last = await up_to_the_last_statement(alice, sandbox)
    assert last.message is not None
    before_last: Message = copy.deepcopy(last.message)
    result_of(private(await alice.click(copy.deepcopy(before_last), "Always")))
    first = bot_of(sandbox)
    guild_id, member_id = sandbox.guild.id, alice.id
    assert completions(first) == [(guild_id, INSTRUMENT, "2026-06-01", 1)]

    settings, clock, content, world = first.settings, first.clock, first.content, sandbox.world
    assert isinstance(clock, FakeClock)
    await sandbox.stop()
    clock.advance(timedelta(minutes=5))
    async with Sandbox(
        MutualBot(settings, clock=clock, content=content, start_timers=False), world=world
    ) as again:
        bot = bot_of(again)
        alice = again.person("alice")
        # The same last answer on the old message: the same result, not a second completion.
        result_of(private(await alice.click(copy.deepcopy(before_last), "Always")))
        assert completions(bot) == [(guild_id, INSTRUMENT, "2026-06-01", 1)]
        # A new check after the restart is a new completion.
        fresh = await up_to_the_last_statement(alice, again)
        result_of(private(await alice.click(fresh, "Rarely")))
        assert completions(bot) == [(guild_id, INSTRUMENT, "2026-06-01", 2)]

        tokens = rows(bot, "SELECT session_token, guild_id, day FROM selfcheck_counted_sessions")
        assert len(tokens) == 2 and {(g, d) for _, g, d in tokens} == {(guild_id, "2026-06-01")}
        for table in [r[0] for r in rows(bot, "SELECT name FROM sqlite_master WHERE type='table'")]:
            for row in rows(bot, f'SELECT * FROM "{table}"'):
                assert all(str(member_id) not in str(value) for value in row), table

        # The daily housekeeping forgets the tokens once no session can show its result again.
        # Run as registered (the scheduler is not started here, so it is called by hand).
        job = bot.dispatcher._scheduler.get_job("housekeeping-selfcheck-counted")
        assert job is not None and job.trigger.interval == timedelta(hours=24)
        clock.advance(timedelta(days=2))
        await job.func()
        assert len(rows(bot, "SELECT * FROM selfcheck_counted_sessions")) == 2
        clock.advance(timedelta(days=1))
        await job.func()
        assert rows(bot, "SELECT * FROM selfcheck_counted_sessions") == []
        assert completions(bot) == [(guild_id, INSTRUMENT, "2026-06-01", 2)]
        again.assert_no_failures()

    ours = [r for r in caplog.records if not r.name.startswith("standin")]
    assert str(member_id) not in "\n".join(f"{r.name} {r.getMessage()}" for r in ours)
