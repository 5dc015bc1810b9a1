"""Reading a facilitator's local date and time into a UTC instant, refusing impossible ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserFacingError
from bot.i18n import _
from bot.services import timezones

EARLIEST = timedelta(minutes=5)
LATEST = timedelta(days=90)


def zone(name: str) -> ZoneInfo:
    try:
        return timezones.resolve_timezone(name)
    except timezones.UnknownTimezone as error:
        raise UserFacingError(str(error)) from None


def parse_local(when: str, timezone: str, now: datetime) -> datetime:
    """`YYYY-MM-DD HH:MM` in `timezone` as a UTC instant between 5 minutes and 90 days ahead."""
    tz = zone(timezone)
    try:
        naive = datetime.strptime(when.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise UserFacingError(
            _("Please write the date and time as YYYY-MM-DD HH:MM, for example 2025-03-14 19:30.")
        ) from None
    local = naive.replace(tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != naive:
        raise UserFacingError(
            _(
                "{when} doesn't exist in {timezone}: the clocks go forward then. Please pick a "
                "time outside the change."
            ).format(when=when, timezone=timezone)
        )
    if instant < now + EARLIEST:
        raise UserFacingError(
            _(
                "That time is too soon or already past. Please pick a time at least 5 minutes "
                "ahead, or use /discuss start to open a discussion now."
            )
        )
    if instant > now + LATEST:
        raise UserFacingError(_("Please schedule discussions at most 90 days ahead."))
    return instant
