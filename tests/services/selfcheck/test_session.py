from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.content import Content
from bot.services.privacy import KeyedHasher
from bot.services.selfcheck.session import (
    CUSTOM_ID_LIMIT,
    SAVE_TEMPLATE,
    SESSION_TEMPLATE,
    InstrumentCodes,
    Session,
    SessionError,
    decode_scores,
    encode_scores,
    owner_tag,
    parse_save,
    parse_session,
    save_custom_id,
)

NOW = datetime(2025, 3, 3, 21, 59, tzinfo=UTC)
HASHER = KeyedHasher(b"0123456789abcdef0123456789abcdef")


def test_custom_ids_round_trip_and_fit(content: Content) -> None:
    for instrument in content.instruments.values():
        session = Session.new(instrument, NOW, owner_tag(HASHER, 123456789012345678))
        for _ in instrument.items[1:]:
            session = session.answer(4)
        session = session.skip()
        for action in "01234sbgxr":
            custom_id = session.custom_id(action)
            assert len(custom_id) <= CUSTOM_ID_LIMIT
            assert re.fullmatch(SESSION_TEMPLATE, custom_id)
            parsed, parsed_action = parse_session(custom_id)
            assert parsed == session and parsed_action == action
        scores = {d.id: 100 for d in instrument.dimensions}
        save_id = save_custom_id(session, instrument, scores)
        assert len(save_id) <= CUSTOM_ID_LIMIT and re.fullmatch(SAVE_TEMPLATE, save_id)
        back, packed = parse_save(save_id)
        assert back.started == session.started and decode_scores(instrument, packed) == scores


def test_the_member_id_is_not_in_the_custom_id() -> None:
    user_id = 123456789012345678
    tag = owner_tag(HASHER, user_id)
    assert len(tag) == 8 and str(user_id) not in tag
    assert tag != owner_tag(HASHER, user_id + 1)


def test_back_skip_and_parsed_answers() -> None:
    session = Session("abcdef", 1, "0" * 8).answer(3).skip().answer(0)
    assert session.answers == "3-0" and session.parsed() == (3, None, 0)
    assert session.back().answers == "3-"


def test_expiry_after_an_hour() -> None:
    session = Session("abcdef", int(NOW.timestamp() // 60), "0" * 8)
    assert not session.expired(NOW + timedelta(minutes=60))
    assert session.expired(NOW + timedelta(minutes=61))
    assert session.taken_on().isoformat() == "2025-03-03"


def test_scores_encoding_keeps_skipped_dimensions_absent(content: Content) -> None:
    instrument = content.instruments["give-and-take"]
    packed = encode_scores(instrument, {"they-lean": 7})
    assert packed == "--07"
    assert decode_scores(instrument, packed) == {"they-lean": 7}
    with pytest.raises(SessionError):
        decode_scores(instrument, "zz07")
    with pytest.raises(SessionError):
        decode_scores(instrument, "07")


def test_unknown_codes_and_malformed_ids_are_session_errors(content: Content) -> None:
    codes = InstrumentCodes(content.instruments.values())
    with pytest.raises(SessionError):
        codes.instrument("ffffff")
    with pytest.raises(SessionError):
        parse_session("sc:nothing")


def test_save_token_is_stable_per_result_and_member() -> None:
    session = Session("abcdef", 29000000, "0" * 8)
    assert session.save_token(HASHER, 1, "1a2b") == session.save_token(HASHER, 1, "1a2b")
    assert session.save_token(HASHER, 1, "1a2b") != session.save_token(HASHER, 2, "1a2b")
    assert session.save_token(HASHER, 1, "1a2b") != session.save_token(HASHER, 1, "1a2c")
    assert session.save_token(HASHER, 1, "1a2b") != Session("abcdef", 29000001, "0" * 8).save_token(
        HASHER, 1, "1a2b"
    )
