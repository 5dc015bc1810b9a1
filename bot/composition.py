"""The services features share, built once per bot when its content is loaded.

Features reach each other only through what is built here or through the typed accessors on
`MutualBot`, so a reader finds every shared service and its type in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import Content
from bot.services.excerpts import ExcerptLibrary


@dataclass(frozen=True)
class Services:
    excerpts: ExcerptLibrary
    """Self-check results, daily prompts, discussions and /learn read excerpts through this one
    library, whose orders and search index are derived once from the content."""


def compose(content: Content) -> Services:
    return Services(excerpts=ExcerptLibrary(content))
