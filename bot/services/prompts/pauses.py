"""Why a server's daily prompts are paused, stored once and read in each reader's language.

The timer pauses a schedule where no reader is present, and the reason stays with the schedule
for whoever looks later, in whatever language. So the reason is stored in English, made from
the templates below, and put into the reader's language when it is shown, by matching the
stored text against the template it was made from. Rows stored before the reasons were
translated read the same way, and a reason that matches no template is shown as stored.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from bot.i18n import N_, _
from bot.services.prompts.formats import full_date

BY_MODERATOR = N_("Paused by a moderator.")
BY_MODERATOR_UNTIL = N_("Paused by a moderator until {date}.")
CHANNEL_GONE = N_(
    "The channel {channel} no longer exists. Run /prompts setup with another channel."
)
MISSING_PERMISSION = N_(
    "I'm missing the {permission} permission in {channel}. Grant it, then run /prompts resume."
)
BROKEN = N_(
    "I couldn't work out the next posting time from these settings. Please run /prompts setup "
    "again."
)
NOTICE = N_("Daily prompts are paused. {reason}")
"""What the server's log channel is told when the timer pauses its prompts."""

_REASONS = (BY_MODERATOR, BY_MODERATOR_UNTIL, CHANNEL_GONE, MISSING_PERMISSION, BROKEN)


@lru_cache(maxsize=16)
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        + r"\Z",
        re.DOTALL,
    )


def shown_reason(stored: str, paused_until: str | None = None) -> str:
    """The stored reason in the current locale; `paused_until` (ISO) re-dates a timed pause."""
    for template in _REASONS:
        match = _pattern(template).match(stored)
        if match is None:
            continue
        fields = match.groupdict()
        if "permission" in fields:
            fields["permission"] = _(fields["permission"])  # Discord's name, marked where made
        if "date" in fields and paused_until:
            fields["date"] = full_date(date.fromisoformat(paused_until))
        return _(template).format(**fields)
    return stored


def shown_notice(stored: str) -> str:
    """A notice made from NOTICE, in the current locale."""
    match = _pattern(NOTICE).match(stored)
    if match is None:
        return stored
    return _(NOTICE).format(reason=shown_reason(match["reason"]))
