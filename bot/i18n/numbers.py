"""Numbers in the current locale, from CLDR through Babel: "1,800" in English, "1.800" in German."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.i18n.dates import babel_locale


def number(value: int) -> str:
    """`value` with the current locale's grouping."""
    return format_decimal(value, locale=babel_locale())
