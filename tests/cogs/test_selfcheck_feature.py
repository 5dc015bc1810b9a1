"""The self-check feature's shared services: related excerpts are ranked once per topic order."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import Content, load_content
from bot.i18n import current_locale, locale_scope
from bot.services.selfcheck import InstrumentCodes, SessionError
from bot.services.selfcheck.session import instrument_code
from cogs.selfcheck._feature import SelfCheckFeature


@dataclass
class Excerpt:
    text: str
    content_notes: tuple[str, ...] = ()


class Library:
    def __init__(self, name: str) -> None:
        self.name = name
        self.asked: list[list[str]] = []

    def related(self, topics: list[str], limit: int, exclusions: object = None) -> list[Excerpt]:
        self.asked.append(topics)
        return [Excerpt(f"{self.name}: {topic}") for topic in topics][:limit]

    def attribution(self, excerpt: Excerpt) -> str:
        return f"from {self.name}"


class Bot:
    def __init__(self, library: Library | None) -> None:
        self.library = library
        self.db = None  # no server, so nothing is left out and the database is not asked

    @property
    def excerpts(self) -> Library | None:
        return self.library


def feature(bot: Bot) -> SelfCheckFeature:
    return SelfCheckFeature(bot=bot, codes=None, history=None, insights=None)  # type: ignore[arg-type]


async def test_related_excerpts_are_ranked_once_per_topic_order() -> None:
    library = Library("first")
    found = feature(Bot(library))
    first = await found.related_excerpts(("trust", "boundaries"), limit=2)
    assert first == [("first: trust", "from first"), ("first: boundaries", "from first")]
    first.clear()  # a caller changing its list does not change what is remembered
    assert await found.related_excerpts(("trust", "boundaries"), limit=2) == [
        ("first: trust", "from first"),
        ("first: boundaries", "from first"),
    ]
    assert library.asked == [["trust", "boundaries"]]
    assert await found.related_excerpts(("boundaries", "trust"), limit=1) == [
        ("first: boundaries", "from first")
    ]
    assert len(library.asked) == 2


async def test_a_new_excerpt_library_is_asked_again() -> None:
    bot = Bot(Library("first"))
    found = feature(bot)
    await found.related_excerpts(("trust",), limit=2)
    bot.library = Library("second")
    assert await found.related_excerpts(("trust",), limit=2) == [("second: trust", "from second")]
    bot.library = None
    assert await found.related_excerpts(("trust",), limit=2) == []


class LocalisedBot(Bot):
    """Answers `content` in the current locale, as MutualBot does."""

    def __init__(self, content: Content) -> None:
        super().__init__(None)
        self._content = content

    @property
    def content(self) -> Content:
        return self._content.for_locale(current_locale())


def test_a_session_code_reads_its_instrument_in_the_current_locale() -> None:
    content = load_content(DEFAULT_CONTENT_DIR)
    codes = InstrumentCodes(content.instruments.values())
    found = SelfCheckFeature(
        bot=LocalisedBot(content),  # type: ignore[arg-type]
        codes=codes,
        history=None,  # type: ignore[arg-type]
        insights=None,  # type: ignore[arg-type]
    )
    english = next(iter(content.instruments.values()))
    code = instrument_code(english.id)
    assert found.instrument(code) == english
    with locale_scope("es-ES"):
        spanish = found.instrument(code)
    assert spanish == content.for_locale("es-ES").instruments[english.id]
    assert spanish.title != english.title
    assert [i.id for i in spanish.items] == [i.id for i in english.items]
    with pytest.raises(SessionError):
        found.instrument("ffffff")
