"""MUTUAL_LOG_FORMAT=json: one JSON object a line, the same message and nothing more."""

from __future__ import annotations

import json
import logging

from bot.logs import JsonFormatter


def test_a_json_line_carries_level_logger_message_and_no_extra_attributes() -> None:
    record = logging.LogRecord("bot.test", logging.WARNING, __file__, 1, "posted %d", (3,), None)
    record.member_text = "something a member wrote"  # an attribute a handler must not copy
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "bot.test"
    assert entry["message"] == "posted 3"
    assert set(entry) == {"time", "level", "logger", "message"}
    assert "member wrote" not in line


def test_an_exception_is_kept_in_one_line() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line and "ValueError: broken" in json.loads(line)["exception"]
