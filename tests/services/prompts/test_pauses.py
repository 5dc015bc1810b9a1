"""Pause reasons are stored in English and read in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.i18n import locale_scope
from bot.services.prompts import pauses
from bot.services.prompts.delivery import pause_reason
from bot.services.prompts.model import ChannelGone, MissingAccess
from tests.bracketed import bracketed_catalog


@pytest.fixture
def bracketed() -> Iterator[str]:
    with bracketed_catalog("fr") as locale:
        yield locale


def test_a_stored_reason_reads_in_the_readers_language(bracketed: str) -> None:
    stored = pause_reason(MissingAccess("Send Messages"), 42)
    assert stored == (
        "I'm missing the Send Messages permission in <#42>. Grant it, then run /prompts resume."
    )
    assert pauses.shown_reason(stored) == stored  # English reads it as stored
    with locale_scope(bracketed):
        assert pauses.shown_reason(stored) == (
            "⟦I'm missing the ⟦Send Messages⟧ permission in <#42>. Grant it, then run "
            "/prompts resume.⟧"
        )
        gone = pause_reason(ChannelGone("404"), 7)
        assert pauses.shown_reason(gone).startswith("⟦The channel <#7> no longer exists.")
        assert pauses.shown_notice(pauses.NOTICE.format(reason=gone)).startswith(
            "⟦Daily prompts are paused. ⟦The channel <#7>"
        )


def test_a_timed_pause_is_dated_again_and_an_unknown_reason_stays_as_stored(
    bracketed: str,
) -> None:
    stored = pauses.BY_MODERATOR_UNTIL.format(date="Thursday 04 June 2026")
    with locale_scope(bracketed):
        assert pauses.shown_reason(stored, "2026-06-04") == (
            "⟦Paused by a moderator until ⟦jeudi 04 juin 2026⟧.⟧"
        )
        assert pauses.shown_reason("Something written by hand.") == "Something written by hand."
