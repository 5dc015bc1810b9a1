"""Deletion leaves nothing behind: forget-user, forget-guild, /mydata delete and the retention
of a server the bot left, each checked by scanning the database files, write-ahead log included."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.db import departures
from standin.harness import Sandbox
from tests.e2e.helpers import bot_of, clock_of
from tests.e2e.lifecycle_support import (
    RELAYED_QUESTION,
    SUGGESTION,
    WAITING_QUESTION,
    found_in_files,
    give_data_everywhere,
    id_needles,
    keyed_traces,
    run_cli,
)
from tests.e2e.selfcheck_support import private, table_rows


async def test_forget_user_removes_the_id_and_every_keyed_hash(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    await give_data_everywhere(sandbox, alice)
    traces = keyed_traces(sandbox, alice.id)
    needles = {
        **{f"keyed hash {n}": key.encode() for n, key in enumerate(traces)},
        **id_needles("alice's id", alice.id),
        "suggestion text": SUGGESTION.encode(),
        "waiting question text": WAITING_QUESTION.encode(),
    }
    present = found_in_files(sandbox, needles)
    assert any("keyed hash" in hit for hit in present), "the scan cannot see keyed hashes"
    assert any("suggestion text" in hit for hit in present), "the scan cannot see text"

    code, output = await run_cli(sandbox, "forget-user", str(alice.id))
    assert code == 0, output
    assert f"Forgot member {alice.id}" in output
    assert "Self-check history: 1 row(s)" in output
    assert "Prompt suggestions: 1 row(s)" in output
    assert "Anonymous questions:" in output and "Anonymous questions: 0" not in output

    assert found_in_files(sandbox, needles) == []
    assert table_rows(sandbox, "SELECT COUNT(*) FROM selfcheck_history") == [(0,)]
    # The relayed question stays in the discussion's record, unlinked from whoever asked it.
    assert table_rows(sandbox, "SELECT asker_key, block_key FROM discussion_questions") == [
        ("", "")
    ]
    assert RELAYED_QUESTION in sandbox.messages_in(sandbox.threads_in("general")[-1])[-1].content
    mine = private(await alice.slash("mydata show"))
    assert "keeps nothing about you" in mine.text


async def test_mydata_delete_leaves_no_copy_in_the_write_ahead_log(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    form = await alice.slash("prompt suggest")
    assert form.modal is not None
    await alice.submit_modal(form, {"The prompt": SUGGESTION})
    needle = {"suggestion text": SUGGESTION.encode()}
    assert found_in_files(sandbox, needle)
    confirm = private(await alice.slash("mydata delete"))
    done = await alice.click(confirm, "Delete everything")
    assert "1 stored item about you" in done.text
    assert found_in_files(sandbox, needle) == []


async def test_a_departed_server_is_deleted_after_the_retention(sandbox: Sandbox) -> None:
    bot, clock, guild = bot_of(sandbox), clock_of(sandbox), sandbox.guild
    await give_data_everywhere(sandbox, sandbox.person("alice"))
    await sandbox.person("mod").slash(
        "prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin"
    )
    await sandbox.person("mod").slash(  # a second schedule goes with the server too
        "prompts setup", channel="general", time="10:00", timezone="Europe/Berlin",
        weekdays="weekends", schedule="weekend",
    )  # fmt: skip
    assert table_rows(sandbox, "SELECT COUNT(*) FROM prompt_schedules") == [(2,)]
    needles = id_needles("the server's id", guild.id)
    assert found_in_files(sandbox, needles)

    await sandbox.standin.dispatch("GUILD_DELETE", {"id": str(guild.id)})
    await sandbox.wait_for(lambda: bot.get_guild(guild.id) is None, what="the removal")
    await sandbox.settle()
    assert await departures.departure_of(bot.db, guild.id) == clock.now().replace(microsecond=0)

    clock.advance(timedelta(days=29))
    await bot.lifecycle.daily()
    assert table_rows(sandbox, "SELECT COUNT(*) FROM guild_settings") == [(1,)]
    clock.advance(timedelta(days=1, seconds=1))
    await bot.lifecycle.daily()
    for table in await bot.db.table_names():
        columns = [row[1] for row in table_rows(sandbox, f"PRAGMA table_info({table})")]
        if "guild_id" in columns:
            assert table_rows(sandbox, f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    # Saved self-check history is the member's, kept under their key in no server.
    assert table_rows(sandbox, "SELECT COUNT(*) FROM selfcheck_history") == [(1,)]
    assert found_in_files(sandbox, needles) == []


async def test_a_server_that_adds_the_bot_back_keeps_its_data(sandbox: Sandbox) -> None:
    bot, clock, guild = bot_of(sandbox), clock_of(sandbox), sandbox.guild
    await sandbox.person("mod").slash("config log-channel", channel="mod-log")
    await sandbox.standin.dispatch("GUILD_DELETE", {"id": str(guild.id)})
    await sandbox.wait_for(lambda: bot.get_guild(guild.id) is None, what="the removal")
    clock.advance(timedelta(days=3))
    # Added back: a GUILD_CREATE without `unavailable`, which discord.py takes for a join.
    joined = {k: v for k, v in guild.to_dict().items() if k != "unavailable"}
    await sandbox.standin.dispatch("GUILD_CREATE", joined)
    await sandbox.wait_for(lambda: bot.get_guild(guild.id) is not None, what="the return")
    await sandbox.settle()
    assert await departures.departure_of(bot.db, guild.id) is None
    clock.advance(timedelta(days=60))
    await bot.lifecycle.daily()
    assert table_rows(sandbox, "SELECT COUNT(*) FROM guild_settings") == [(1,)]


async def test_forget_guild_deletes_a_server_now(sandbox: Sandbox) -> None:
    guild = sandbox.guild
    await give_data_everywhere(sandbox, sandbox.person("alice"))
    code, output = await run_cli(sandbox, "forget-guild", str(guild.id))
    assert code == 0, output
    assert f"Deleted everything kept for server {guild.id}" in output
    assert "Server settings: 1 row(s)" in output
    assert found_in_files(sandbox, id_needles("the server's id", guild.id)) == []


async def test_mydata_export_is_a_private_json_file(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    await give_data_everywhere(sandbox, alice)
    before = len(sandbox.standin.requests)
    reply = await alice.slash("mydata export")
    assert "only you can see" in reply.text
    assert all(message.flags & 64 for message in reply.messages)
    sent = [r for r in sandbox.standin.requests[before:] if "mutual-mydata.json" in r.files]
    assert len(sent) == 1
    exported = json.loads(sent[0].files["mutual-mydata.json"])
    data = exported["data"]
    assert set(data) == {"Self-check history", "Prompt suggestions", "Anonymous questions"}
    assert data["Self-check history"][0]["self_check"] == "give-and-take"
    assert data["Prompt suggestions"][0]["text"] == SUGGESTION
    texts = [q.get("text") for q in data["Anonymous questions"]]
    assert WAITING_QUESTION in texts
    # Keys and ids never leave: the member's own id is not in the file.
    assert str(alice.id) not in sent[0].files["mutual-mydata.json"].decode()
    bobs = await sandbox.person("bob").slash("mydata export")
    assert "keeps nothing about you" in bobs.text


async def test_saved_history_past_its_retention_is_pruned(sandbox: Sandbox) -> None:
    bot, clock, alice = bot_of(sandbox), clock_of(sandbox), sandbox.person("alice")
    await give_data_everywhere(sandbox, alice)
    token = table_rows(sandbox, "SELECT save_token FROM selfcheck_history")[0][0]
    bot.lifecycle.history_retention_days = 30
    clock.advance(timedelta(days=30))
    await bot.lifecycle.daily()
    assert table_rows(sandbox, "SELECT COUNT(*) FROM selfcheck_history") == [(1,)]
    clock.advance(timedelta(days=1))
    await bot.lifecycle.daily()
    assert table_rows(sandbox, "SELECT COUNT(*) FROM selfcheck_history") == [(0,)]
    assert found_in_files(sandbox, {"save token": token.encode()}) == []
    # Waiting suggestions and questions keep their own limits.
    assert table_rows(sandbox, "SELECT COUNT(*) FROM prompt_suggestions") == [(1,)]
