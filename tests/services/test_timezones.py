import pytest

from bot.errors import UserFacingError
from bot.services import timezones
from bot.services.discussions.when import zone


def test_names_resolve_case_insensitively() -> None:
    assert timezones.resolve_timezone(" america/new_york ").key == "America/New_York"


def test_an_unknown_name_offers_close_ones() -> None:
    with pytest.raises(timezones.UnknownTimezone, match="Europe/Paris"):
        timezones.resolve_timezone("Europe/Pariss")


def test_autocomplete_prefers_prefixes_and_city_names() -> None:
    assert timezones.autocomplete_timezones("tok")[0] == "Asia/Tokyo"
    assert len(timezones.autocomplete_timezones("")) <= 25


def test_discussions_and_prompts_give_the_same_kind_answer() -> None:
    with pytest.raises(UserFacingError, match="Did you mean"):
        zone("Europe/Berlinn")
