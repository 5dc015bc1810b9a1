from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.content import Content
from bot.services.selfcheck import Expired, Finished, Intro, Question, Session, Stopped, advance

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def _session(content: Content, instrument_id: str) -> Session:
    return Session.new(content.instruments[instrument_id], NOW, "a1b2c3d4")


def test_full_run_reaches_the_result(content: Content) -> None:
    instrument = content.instruments["healthy-dependence"]
    screen = advance(_session(content, instrument.id), "g", instrument, NOW)
    for step in range(len(instrument.items)):
        assert isinstance(screen, Question) and screen.index == step
        assert screen.progress == f"{step + 1}/{len(instrument.items)}"
        screen = advance(screen.session, "2", instrument, NOW)
    assert isinstance(screen, Finished)
    assert screen.result.answered == len(instrument.items)


def test_the_same_click_twice_gives_the_same_screen(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    session = _session(content, instrument.id).answer(1)
    assert advance(session, "3", instrument, NOW) == advance(session, "3", instrument, NOW)


def test_back_returns_to_the_previous_item_with_its_answer(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    session = _session(content, instrument.id).answer(1).answer(3)
    screen = advance(session, "b", instrument, NOW)
    assert isinstance(screen, Question) and screen.index == 1 and screen.previous == 3
    assert screen.session.answers == "1"
    first = advance(Session(session.code, session.started, session.owner), "b", instrument, NOW)
    assert isinstance(first, Intro)


def test_skip_and_stop(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    screen = advance(_session(content, instrument.id), "s", instrument, NOW)
    assert isinstance(screen, Question) and screen.session.answers == "-"
    assert isinstance(advance(screen.session, "x", instrument, NOW), Stopped)


def test_expired_after_an_hour_and_restart_begins_fresh(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    session = _session(content, instrument.id).answer(2)
    later = NOW + timedelta(minutes=61)
    expired = advance(session, "3", instrument, later)
    assert isinstance(expired, Expired)
    restarted = advance(session, "r", instrument, later)
    assert isinstance(restarted, Question) and restarted.index == 0
    assert not restarted.session.expired(later)


def test_safety_answer_is_flagged_right_away(content: Content) -> None:
    instrument = content.instruments["codependent-patterns"]
    harm = next(i for i, item in enumerate(instrument.items) if item.id == "abandonment-3")
    session = _session(content, instrument.id)
    for _ in range(harm):
        session = session.answer(0)
    rarely = advance(session, "1", instrument, NOW)
    never = advance(session, "0", instrument, NOW)
    assert rarely.safety_now and not never.safety_now  # type: ignore[union-attr]


def test_a_click_on_a_finished_session_shows_the_result_again(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    session = _session(content, instrument.id)
    for _ in instrument.items:
        session = session.answer(2)
    assert isinstance(advance(session, "4", instrument, NOW), Finished)
    assert isinstance(advance(session, "g", instrument, NOW), Finished)
