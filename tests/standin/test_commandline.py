"""Parsing what people type into the sandbox console."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from standin import commandline as cl


@pytest.mark.parametrize(
    ("line", "step"),
    [
        ("", None),
        ("   # a comment", None),
        ("/about", cl.Step("slash", "/about")),
        ("as alice: /learn random", cl.Step("slash", "/learn random", "alice")),
        ("as mod", cl.Step("", "", "mod")),
        ("as bob in thread: /ask", cl.Step("slash", "/ask", "bob", "thread")),
        ("as bob in #mod-log", cl.Step("", "", "bob", "#mod-log")),
        ("in #reflections", cl.Step("", "", None, "#reflections")),
        ("in dm: /about", cl.Step("slash", "/about", None, "dm")),
        ("click 2", cl.Step("click", "2")),
        ("CLICK Save to my private history", cl.Step("click", "Save to my private history")),
        ("select 1 trust, boundaries", cl.Step("select", "1 trust, boundaries")),
        ("modal question=Why?; note=", cl.Step("modal", "question=Why?; note=")),
        ("advance 1d", cl.Step("advance", "1d")),
        ("show #reflections 3", cl.Step("channel", "#reflections 3")),
        ("expect Your reflection", cl.Step("expect", "Your reflection")),
        ("exit", cl.Step("quit", "")),
        ("as alice: click 1", cl.Step("click", "1", "alice")),
    ],
)
def test_lines(line: str, step: cl.Step | None) -> None:
    assert cl.parse_line(line) == step


def test_unknown_words_point_to_help() -> None:
    with pytest.raises(cl.ParseError, match="help"):
        cl.parse_line("dance wildly")


def test_slash_options_take_everything_up_to_the_next_option() -> None:
    slash = cl.parse_slash(
        "/prompts setup channel:#reflections time:09:00 timezone:Europe/Berlin weekdays:mon, wed"
    )
    assert slash.command == "prompts setup"
    assert slash.options == {
        "channel": "#reflections",
        "time": "09:00",
        "timezone": "Europe/Berlin",
        "weekdays": "mon, wed",
    }
    search = cl.parse_slash("/learn   search query:fear of being left behind")
    assert search == cl.Slash("learn search", {"query": "fear of being left behind"})
    url = cl.parse_slash("/config resources text:see https://example.org today")
    assert url.options == {"text": "see https://example.org today"}
    assert cl.parse_slash("/about") == cl.Slash("about", {})


@pytest.mark.parametrize("text", ["/", "/ topic:x", "/learn topic topic:a topic:b"])
def test_slash_mistakes_are_explained(text: str) -> None:
    with pytest.raises(cl.ParseError):
        cl.parse_slash(text)


def test_booleans_are_typed_as_words_and_other_values_stay_text() -> None:
    declared = [{"name": "pin", "type": 5}, {"name": "time", "type": 3}]
    got = cl.coerce_options(declared, {"pin": "No", "time": "09:00", "extra": "1"})
    assert got == {"pin": False, "time": "09:00", "extra": "1"}
    assert cl.coerce_options(declared, {"pin": "true"}) == {"pin": True}
    with pytest.raises(cl.ParseError, match="true or false"):
        cl.coerce_options(declared, {"pin": "maybe"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1d", timedelta(days=1)),
        ("3h", timedelta(hours=3)),
        ("30m", timedelta(minutes=30)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("90s", timedelta(seconds=90)),
        ("2w", timedelta(weeks=2)),
        ("1.5h", timedelta(minutes=90)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert cl.parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "1x", "0m", "-1d", "d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(cl.ParseError):
        cl.parse_duration(text)


def test_modal_fields_and_select_values() -> None:
    assert cl.parse_modal("question = How do I start? ; note=") == {
        "question": "How do I start?",
        "note": "",
    }
    for bad in ("", "just text", "=value"):
        with pytest.raises(cl.ParseError):
            cl.parse_modal(bad)
    assert cl.parse_select("2 trust, open communication") == (2, ["trust", "open communication"])
    with pytest.raises(cl.ParseError):
        cl.parse_select("trust")


def test_values_may_hold_times_and_colons_when_the_option_names_are_known() -> None:
    text = "/discuss schedule when:2026-06-02 18:00 topic:trust note:see: below"
    assert cl.parse_slash(text).options["when"] == "2026-06-02 18:00"
    known = cl.parse_slash(text, {"when", "topic", "note"})
    assert known.options == {"when": "2026-06-02 18:00", "topic": "trust", "note": "see: below"}
    typo = cl.parse_slash("/learn topic topc:trust", {"topic"})
    assert typo == cl.Slash("learn topic", {"topc": "trust"})


def test_dates_relative_to_the_sandbox_clock() -> None:
    today = date(2026, 6, 30)
    assert cl.expand_dates("when:{tomorrow} 18:00", today) == "when:2026-07-01 18:00"
    assert cl.expand_dates("{today} {today+3} {today+0}", today) == (
        "2026-06-30 2026-07-03 2026-06-30"
    )
    assert cl.expand_dates("{yesterday}", today) == "{yesterday}"
