"""What /status and doctor read about a server, on either dialect."""

from __future__ import annotations

from bot.db import Storage
from bot.db.overview import configured_channels, waiting_in
from bot.db.settings import update_settings


async def test_waiting_and_configured_channels_are_counted_per_server(storage: Storage) -> None:
    assert await waiting_in(storage, 1) == await waiting_in(storage, 2)
    await update_settings(storage, 1, log_channel_id=11)
    for guild, state in ((1, "open"), (1, "scheduled"), (1, "scheduled"), (2, "open")):
        await storage.insert(
            """INSERT INTO discussions (guild_id, channel_id, state, source_kind, source_id,
                   title, duration_minutes) VALUES (?, ?, ?, 'topic', 't', 'T', 60)""",
            (guild, guild * 100, state),
        )
    await storage.execute(
        "INSERT INTO prompt_suggestions (guild_id, text) VALUES (?, 'a'), (?, 'b')", (1, 2)
    )
    waiting = await waiting_in(storage, 1)
    assert (waiting.open_discussions, waiting.scheduled_discussions) == (1, 2)
    assert (waiting.waiting_questions, waiting.waiting_suggestions) == (0, 1)
    purposes = {(c.channel_id, c.purpose) for c in await configured_channels(storage, 1)}
    assert purposes == {(11, "review queue"), (100, "discussions")}
    assert {c.guild_id for c in await configured_channels(storage)} == {1, 2}
