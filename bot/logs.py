"""Logging set-up that cannot leak what members type.

discord.py logs whole gateway events and request bodies at DEBUG, and aiosqlite logs every
statement with its parameters at DEBUG. Either would put answers, anonymous questions or member
ids into the log. Those loggers are held at INFO or above, whatever level the operator chooses;
asyncpg (PostgreSQL) is held there too, so no driver's debugging can carry a statement's values.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

import discord

PAYLOAD_LOGGERS = ("discord", "aiosqlite", "asyncpg")


def quiet_payload_loggers() -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:
            logger.setLevel(logging.INFO)


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log collectors. It carries what the text format carries (the
    same messages, which never hold member text) and no record attributes beyond these."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: str, log_format: str = "text") -> None:
    if log_format == "json":
        discord.utils.setup_logging(
            level=getattr(logging, level),
            root=True,
            handler=logging.StreamHandler(sys.stderr),
            formatter=JsonFormatter(),
        )
    else:
        discord.utils.setup_logging(level=getattr(logging, level), root=True)
    quiet_payload_loggers()
