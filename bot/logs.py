"""Logging set-up that cannot leak what members type.

discord.py logs whole gateway events and request bodies at DEBUG, and aiosqlite logs every
statement with its parameters at DEBUG. Either would put answers, anonymous questions or member
ids into the log. Those loggers are held at INFO or above, whatever level the operator chooses.
"""

from __future__ import annotations

import logging

import discord

PAYLOAD_LOGGERS = ("discord", "aiosqlite")


def quiet_payload_loggers() -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:
            logger.setLevel(logging.INFO)


def setup_logging(level: str) -> None:
    discord.utils.setup_logging(level=getattr(logging, level), root=True)
    quiet_payload_loggers()
