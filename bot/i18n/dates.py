"""Dates, times and weekday names in the current locale, from CLDR through Babel."""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_skeleton

from bot.i18n.catalogs import current_locale


def babel_locale() -> Locale:
    return Locale.parse(current_locale().replace("-", "_"))


def weekday_names() -> list[str]:
    """Monday first, as `date.weekday()` counts."""
    names = babel_locale().days["format"]["wide"]
    return [str(names[i]) for i in range(7)]


def long_date(day: date) -> str:
    """ "Monday 1 June" in English, "lunes, 1 de junio" in Spanish: the locale's own order."""
    return format_skeleton("MMMMEEEEd", day, locale=babel_locale())
