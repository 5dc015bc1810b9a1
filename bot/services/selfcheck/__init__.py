"""Self-checks: scoring, the in-button session state, opt-in history and anonymous insights."""

from bot.services.selfcheck.flow import Expired, Finished, Intro, Question, Screen, Stopped, advance
from bot.services.selfcheck.history import SelfCheckHistory, Trend
from bot.services.selfcheck.insights import MIN_CELL, InstrumentInsight, SelfCheckInsights
from bot.services.selfcheck.scoring import Result, score
from bot.services.selfcheck.session import InstrumentCodes, Session, SessionError, owner_tag

__all__ = [
    "MIN_CELL",
    "Expired",
    "Finished",
    "InstrumentCodes",
    "InstrumentInsight",
    "Intro",
    "Question",
    "Result",
    "Screen",
    "SelfCheckHistory",
    "SelfCheckInsights",
    "Session",
    "SessionError",
    "Stopped",
    "Trend",
    "advance",
    "owner_tag",
    "score",
]
