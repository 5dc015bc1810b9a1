"""Times of day as people type them: "09:00", "9am", "9:30 pm", "21h", "21h30", "noon".

Moderators of peer servers come from reminder and QOTD bots that accept all of these, so a
refusal must be kept for what cannot be a time at all, and it says which forms work.
"""

from __future__ import annotations

import re
from datetime import time

from bot.i18n import N_

_CLOCK = re.compile(
    r"""^\s*
    (?P<hour>\d{1,2})
    (?:\s*(?:[:.h]\s*(?P<minute>\d{2}))?)?
    \s*(?P<h>h)?
    \s*(?P<half>a\.?m\.?|p\.?m\.?)?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_COMPACT = re.compile(r"^\s*(?P<hour>\d{2})(?P<minute>\d{2})(?P<h>)\s*$")
_WORDS = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}

# Shown with `_()` where used.
FORMS = N_("09:00, 20:30, 9am, 9:30 pm, 21h or 21h30")


class BadTime(ValueError):
    """Not a time of day in any form people use."""


def parse_time_of_day(text: str) -> time:
    raw = (text or "").strip()
    if raw.lower() in _WORDS:
        return _WORDS[raw.lower()]
    match = _CLOCK.match(raw) or _COMPACT.match(raw)
    if match is None:
        raise BadTime(raw)
    groups = match.groupdict()
    if not (groups.get("minute") or groups.get("h") or groups.get("half")):
        raise BadTime(raw)  # a bare "9" could be morning or evening: ask for more
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    half = (groups.get("half") or "").replace(".", "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise BadTime(raw)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise BadTime(raw)
    return time(hour, minute)
