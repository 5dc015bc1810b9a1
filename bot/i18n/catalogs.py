"""gettext catalogs read from `bot/locales/<locale>.po` with Babel, looked up per locale.

The `.po` files are read directly (no compiled `.mo` in the repository): Babel parses them at
start-up, writes each to an in-memory `.mo` and hands it to the standard library's gettext, which
then applies the language's plural rules.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "en-US"
# Discord locale codes with a full catalog and content; others fall back by language, then English.
SHIPPED_LOCALES: tuple[str, ...] = ("en-US", "es-ES", "pt-BR", "fr", "de")

_locale: ContextVar[str] = ContextVar("mutual_locale", default=DEFAULT_LOCALE)


def shipped_locale(locale: str | None) -> str:
    """The shipped locale for a Discord locale: exact, then the same language, then English."""
    if not locale:
        return DEFAULT_LOCALE
    known = (*SHIPPED_LOCALES, *_catalogs())
    if locale in known:
        return locale
    language = locale.split("-")[0]
    for shipped in known:
        if shipped.split("-")[0] == language:
            return shipped
    return DEFAULT_LOCALE


def set_locale(locale: str | None) -> None:
    """Make `locale` the language of what follows in this task and the tasks it starts."""
    _locale.set(shipped_locale(locale))


@contextlib.contextmanager
def locale_scope(locale: str | None) -> Iterator[None]:
    token = _locale.set(shipped_locale(locale))
    try:
        yield
    finally:
        _locale.reset(token)


def current_locale() -> str:
    return _locale.get()


@lru_cache(maxsize=1)
def _catalogs() -> dict[str, gettext.NullTranslations]:
    found: dict[str, gettext.NullTranslations] = {}
    for path in sorted(LOCALES_DIR.glob("*.po")):
        found[path.stem] = read_catalog(path)
    return found


def read_catalog(path: Path) -> gettext.NullTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.stem.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def add_catalog(locale: str, translations: gettext.NullTranslations) -> None:
    """Register a catalog at run time (the pseudo-locale of the tests)."""
    _catalogs()[locale] = translations


def translations_for(locale: str) -> gettext.NullTranslations | None:
    return _catalogs().get(locale)


def _(message: str) -> str:
    """`message` in the current locale (English when the catalog lacks it)."""
    found = _catalogs().get(_locale.get())
    return found.gettext(message) if found is not None else message


def ngettext(singular: str, plural: str, number: int) -> str:
    """The form for `number` in the current locale's plural rules."""
    found = _catalogs().get(_locale.get())
    if found is not None:
        return found.ngettext(singular, plural, number)
    return singular if number == 1 else plural


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is used, with `_()`."""
    return message
