"""Dates in the prompts' messages, in the reader's language.

Each date pattern is a CLDR pattern that goes through the catalogs, so every language writes a
date in its own order and with its own little words ("EEEE d 'de' MMMM"); English keeps the
house style ("Tuesday 02 June"). A pattern a catalog got wrong falls back to the English one
with the reader's month and weekday names, never to an error.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from babel.dates import format_date, format_datetime

from bot.i18n import _
from bot.i18n.dates import babel_locale

log = logging.getLogger(__name__)


def _formatted(value: date, pattern: str, english: str) -> str:
    locale = babel_locale()
    try:
        if isinstance(value, datetime):
            return format_datetime(value, pattern, locale=locale)
        return format_date(value, pattern, locale=locale)
    except Exception:  # a catalog's broken pattern must not cost the message
        log.warning("The %s catalog's date pattern %r does not work", locale, pattern)
        if isinstance(value, datetime):
            return format_datetime(value, english, locale=locale)
        return format_date(value, english, locale=locale)


def day_and_month(day: date) -> str:
    """ "Tuesday 02 June"."""
    # Translators: a CLDR date pattern (EEEE weekday, dd day, MMMM month, 'words' in quotes),
    # read as "Tuesday 02 June". Write it in your language's order.
    return _formatted(day, _("EEEE dd MMMM"), "EEEE dd MMMM")


def full_date(day: date) -> str:
    """ "Tuesday 02 June 2026"."""
    # Translators: a CLDR date pattern (EEEE weekday, dd day, MMMM month, y year, 'words' in
    # quotes), read as "Tuesday 02 June 2026". Write it in your language's order.
    return _formatted(day, _("EEEE dd MMMM y"), "EEEE dd MMMM y")


def short_day(day: date) -> str:
    """ "02 Jun", short enough for a thread's name."""
    # Translators: a CLDR date pattern (dd day, MMM short month, 'words' in quotes), read as
    # "02 Jun". Write it in your language's order.
    return _formatted(day, _("dd MMM"), "dd MMM")


def short_moment(moment: datetime) -> str:
    """ "Mon 01 Jun 15:00", in `moment`'s own timezone."""
    # Translators: a CLDR date pattern (EEE short weekday, dd day, MMM short month, HH:mm the
    # time on a 24-hour clock, 'words' in quotes), read as "Mon 01 Jun 15:00".
    return _formatted(moment, _("EEE dd MMM HH:mm"), "EEE dd MMM HH:mm")
