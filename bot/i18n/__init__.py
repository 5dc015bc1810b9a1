"""Mutual in the member's language: message catalogs, the locale of the moment, dates by locale.

Every text a member reads passes through `_()` (or `ngettext()` where a number decides the form).
The locale is a context variable: set from the interaction before any of its handlers start (so
each handler's task inherits it), and set from the server's language around public posts. Code
between the two never passes a locale around, and a string formatted outside any scope is
English, which is also what a language without a catalog entry shows.
"""

from bot.i18n.catalogs import (
    DEFAULT_LOCALE,
    N_,
    SHIPPED_LOCALES,
    _,
    current_locale,
    locale_scope,
    ngettext,
    set_locale,
    shipped_locale,
)

__all__ = [
    "DEFAULT_LOCALE",
    "N_",
    "SHIPPED_LOCALES",
    "_",
    "current_locale",
    "locale_scope",
    "ngettext",
    "set_locale",
    "shipped_locale",
]
