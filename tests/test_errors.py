"""Errors as members read them: an option Discord sent that could not be used is named by its
mention or text, never by a Python repr."""

from __future__ import annotations

from discord import app_commands

from bot.errors import friendly_message


def _thread(archived: bool) -> app_commands.AppCommandThread:
    thread = app_commands.AppCommandThread.__new__(app_commands.AppCommandThread)
    thread.id, thread.archived, thread.name = 1234, archived, "old thread"
    return thread


def _unconverted(value: object) -> str:
    error = app_commands.TransformerError(value, 7, app_commands.Transformer())  # type: ignore[arg-type]
    text = friendly_message(error)
    assert text is not None
    return text


def test_an_archived_thread_is_named_and_the_way_out_given() -> None:
    text = _unconverted(_thread(archived=True))
    assert "<#1234> is an archived thread" in text and "reopen" in text
    assert "AppCommandThread" not in text and "<" + "app" not in text.lower()


def test_other_values_are_named_plainly() -> None:
    assert "<#1234>" in _unconverted(_thread(archived=False))
    assert "“soon”" in _unconverted("soon")
    assert "object at" not in _unconverted(object())
