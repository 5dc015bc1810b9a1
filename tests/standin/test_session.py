"""The sandbox console's session against the real MutualBot: people, places, numbers, time."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import MutualBot
from bot.clock import FakeClock
from standin.console import sandbox_settings
from standin.harness import Sandbox
from standin.session import ErrorLog, Result, Session

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
async def session(tmp_path: Path) -> AsyncIterator[Session]:
    clock = FakeClock(START)
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        async with Sandbox(MutualBot(sandbox_settings(tmp_path), clock=clock)) as sandbox:
            yield Session(sandbox, clock, errors)
    finally:
        logging.getLogger().removeHandler(errors)


async def ok(session: Session, line: str) -> str:
    result = await session.run(line)
    assert not result.problems, result.problems
    return "\n".join(result.output)


async def test_advance_runs_each_prompt_at_its_time_on_both_clocks(session: Session) -> None:
    await ok(session, "as mod: /prompts setup channel:#reflections time:09:00 timezone:UTC")
    offset_before = session.world.clock.now().timestamp() - time.time()

    assert "Today's reflection" not in await ok(session, "advance 30m")
    assert session.clock.now() == START + timedelta(minutes=30)
    assert session.sandbox.messages_in("reflections") == []

    shown = await ok(session, "advance 1h")
    assert "Today's reflection" in shown and "New thread" in shown
    assert session.clock.now() == START + timedelta(minutes=90)
    offset = session.world.clock.now().timestamp() - time.time() - offset_before
    assert offset == pytest.approx(90 * 60, abs=5)

    await ok(session, "advance 2d")
    assert len(session.sandbox.messages_in("reflections")) == 3


async def test_stand_in_failures_and_logged_errors_are_problems_once(session: Session) -> None:
    session.sandbox.standin.fail("schema", "POST", "/channels/1/messages", "too long", {"x": 1})
    logging.getLogger("cogs.example").error("something broke")
    result = await session.run("/about")
    assert "About Mutual" in "\n".join(result.output)
    assert len(result.problems) == 2
    assert "[schema] POST /channels/1/messages: too long" in result.problems[0]
    assert "the bot logged an error (cogs.example): something broke" in result.problems[1]
    assert (await session.run("/about")).problems == []


async def test_clicks_follow_the_latest_numbers_and_forms(session: Session) -> None:
    started = await ok(session, "/selfcheck start instrument:healthy-dependence")
    assert "[1] Begin  [2] Not now" in started
    assert "1/14" in await ok(session, "click begin")
    assert "2/14" in await ok(session, "click 4")
    result = await session.run("click 42")
    assert result.problems == ["button 42 does not exist; pick 1 to 8"]
    result = await session.run("modal question=hello")
    assert result.problems == ["There is no open form; a command or button opens one."]
    assert "Stopped" in await ok(session, "click Stop")


async def test_select_by_label_changes_the_menu(session: Session) -> None:
    shown = await ok(session, "as mod: /prompts topics")
    assert "menu 1:" in shown
    assert "Left out of daily prompts: Trust" in await ok(session, "select 1 trust")
    assert "Left out of daily prompts: Trust" not in await ok(session, "select 1 none")


async def test_people_and_places_carry_over_until_changed(session: Session) -> None:
    assert session.prompt() == "alice in #general> "
    assert "in DM with bob (only you can see this)" in await ok(session, "as bob in dm: /about")
    assert session.prompt() == "bob in DM with bob> "
    await ok(session, "in #reflections")
    assert "in #reflections" in await ok(session, "/about")
    result = await session.run("as nobody: /about")
    assert result.problems and "No one here is called nobody" in result.problems[0]
    result = await session.run("in #nowhere")
    assert result.problems and "There is no channel #nowhere" in result.problems[0]
    result = await session.run("/no-such-command")
    assert result.problems == ["/no-such-command is not a synced command here"]


async def test_expect_looks_at_the_output_before_it(session: Session) -> None:
    await ok(session, "/resources")
    assert (await session.run("expect WHERE TO FIND SUPPORT")).problems == []
    assert (await session.run("expect where to find support")).problems == []
    missing: Result = await session.run("expect a crisis hotline in space")
    assert missing.problems == ["expected to see 'a crisis hotline in space' in the latest output"]


async def test_an_uploaded_chart_is_saved_to_a_file_and_its_path_printed(
    session: Session,
) -> None:
    shown = await ok(session, "as mod: /insights")
    line = next(text for text in shown.splitlines() if "selfcheck-insights.png: saved to" in text)
    assert starts_like_png(Path(line.split("saved to ", 1)[1].rstrip("]")))
    assert "alt text: Chart of completed self-checks per week" in shown


def starts_like_png(path: Path) -> bool:
    return path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
