"""A catalog that brackets every text it translates, for tests of what goes through catalogs.

Installed for a shipped locale, it shows at a glance which texts passed through `_()` (⟦so⟧) and
which did not, while dates and content still come in that locale's own language.
"""

from __future__ import annotations

import contextlib
import gettext
from collections.abc import Iterator

from bot.i18n import catalogs


class Bracketed(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


@contextlib.contextmanager
def bracketed_catalog(locale: str) -> Iterator[str]:
    """`locale`'s catalog brackets every text until the block ends; its own is put back."""
    known = catalogs._catalogs()
    before = known.get(locale)
    catalogs.add_catalog(locale, Bracketed())
    try:
        yield locale
    finally:
        if before is None:
            known.pop(locale, None)
        else:
            known[locale] = before
