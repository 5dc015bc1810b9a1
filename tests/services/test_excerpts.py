import sqlite3
from datetime import date, timedelta

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import Content, Excerpt, Source, Topic, load_content
from bot.i18n import locale_scope
from bot.services import excerpt_index
from bot.services.excerpt_index import Document, Fts5Index, SearchIndex, TokenIndex
from bot.services.excerpts import ExcerptLibrary, quoted_in_another_language

TOPICS = {
    t.id: t
    for t in (
        Topic("trust", "Trust"),
        Topic("boundaries", "Boundaries"),
        Topic("self-care", "Self-care"),
        Topic("fear-of-abandonment", "Fear of abandonment"),
        Topic("unused", "Unused topic"),
    )
}
SOURCES = {
    "a": Source("a", "An article", "Some Site", "a.txt", date="May 1, 2024"),
    "b": Source("b", "Untitled site article", None, "b.txt", url="https://example.org/b"),
}


def excerpt(ident: str, topics: tuple[str, ...], text: str, source: str = "a") -> Excerpt:
    return Excerpt(ident, source, topics, text)


EXCERPTS = [
    excerpt("x-1", ("trust",), "Trust grows slowly when promises are kept."),
    excerpt(
        "x-2",
        ("trust", "boundaries"),
        "Boundaries protect trust. Clear boundaries let trust breathe, and boundaries change.",
    ),
    excerpt("x-10", ("trust",), "A long passage that mentions boundaries once among many words."),
    excerpt("x-3", ("boundaries",), "Saying no kindly is a boundary.", source="b"),
    excerpt("x-4", ("self-care",), "Rest is not selfish."),
    excerpt("x-5", ("fear-of-abandonment",), "The fear of being left can drive clinging."),
]
CONTENT = Content(topics=TOPICS, sources=SOURCES, excerpts={e.id: e for e in EXCERPTS})


def documents() -> list[Document]:
    return [Document(e.id, e.text, " ".join(TOPICS[t].label for t in e.topics)) for e in EXCERPTS]


@pytest.fixture(params=["fts5", "tokens"])
def library(request: pytest.FixtureRequest) -> ExcerptLibrary:
    index: SearchIndex = (Fts5Index if request.param == "fts5" else TokenIndex)(documents())
    return ExcerptLibrary(CONTENT, index=index)


def test_search_ranks_denser_matches_first_and_highlights_them(library: ExcerptLibrary) -> None:
    result = library.search("boundaries")
    ids = [hit.excerpt.id for hit in result.hits]
    assert ids[0] == "x-2"
    assert set(ids) >= {"x-2", "x-10", "x-3"}
    assert result.hits[0].highlighted.count("**Boundaries**") == 1
    assert result.hits[0].highlighted.count("**boundaries**") == 2
    assert "**trust**" not in result.hits[0].highlighted
    assert result.suggestions == ()


def test_search_matches_word_forms_and_ignores_stopwords(library: ExcerptLibrary) -> None:
    hits = library.search("the boundary of").hits
    assert "x-3" in [hit.excerpt.id for hit in hits]
    assert "**boundary**" in next(h for h in hits if h.excerpt.id == "x-3").highlighted
    assert all("**the**" not in hit.highlighted for hit in hits)


def test_search_reaches_topic_labels(library: ExcerptLibrary) -> None:
    assert [hit.excerpt.id for hit in library.search("abandonment").hits] == ["x-5"]


@pytest.mark.parametrize("query", ["zebra", "", "!!! ???", 'a" OR "b'])
def test_no_hits_suggests_topics(library: ExcerptLibrary, query: str) -> None:
    result = library.search(query)
    assert result.hits == ()
    assert result.suggestions
    assert all(topic.id != "unused" for topic in result.suggestions)


def test_suggestions_prefer_topics_close_to_a_misspelling(library: ExcerptLibrary) -> None:
    assert library.search("bondaries").suggestions[0].id == "boundaries"


def test_topic_pages_are_stable_and_end_at_both_sides(library: ExcerptLibrary) -> None:
    first = library.page("trust", 0)
    assert first is not None
    assert (first.total, first.excerpt.id) == (3, "x-1")
    assert not first.has_previous and first.has_next
    middle = library.page("trust", 1)
    assert middle is not None and middle.excerpt.id == "x-2"
    assert middle.has_previous and middle.has_next
    last = library.page("trust", 2)
    assert last is not None and last.excerpt.id == "x-10"  # numeric order, not "x-10" < "x-2"
    assert last.has_previous and not last.has_next
    beyond = library.page("trust", 99)
    assert beyond is not None and beyond.index == 2
    assert library.page("unused", 0) is None
    assert library.page("nope", 0) is None


def test_single_excerpt_topic_has_no_neighbours(library: ExcerptLibrary) -> None:
    page = library.page("self-care", 0)
    assert page is not None
    assert not page.has_previous and not page.has_next


def test_autocomplete_matches_what_was_typed(library: ExcerptLibrary) -> None:
    assert [t.id for t in library.matching_topics("")] == [
        "trust",
        "boundaries",
        "self-care",
        "fear-of-abandonment",
    ]
    assert [t.id for t in library.matching_topics("ab")] == ["fear-of-abandonment"]
    assert [t.id for t in library.matching_topics("SELF")] == ["self-care"]
    assert [t.id for t in library.matching_topics("fear-of")] == ["fear-of-abandonment"]
    assert library.matching_topics("zzz") == []
    assert len(library.matching_topics("", limit=2)) == 2


def test_find_topic_by_id_or_label(library: ExcerptLibrary) -> None:
    assert library.find_topic("fear of Abandonment") == TOPICS["fear-of-abandonment"]
    assert library.find_topic("self-care") == TOPICS["self-care"]
    assert library.find_topic("unused") is None
    assert library.find_topic("tru") is None


def test_related_prefers_shared_topics_then_takes_turns(library: ExcerptLibrary) -> None:
    related = [e.id for e in library.related(["trust", "boundaries"], 3)]
    assert related == ["x-2", "x-1", "x-3"]
    assert [e.id for e in library.related(["self-care", "nope"], 5)] == ["x-4"]
    assert library.related(["trust"], 0) == []


def test_attribution_shows_only_what_the_article_gives(library: ExcerptLibrary) -> None:
    assert library.attribution(EXCERPTS[0]) == "“An article” · Some Site · May 1, 2024"
    assert library.attribution(EXCERPTS[3]) == "“Untitled site article”"


def test_sources_are_counted() -> None:
    library = ExcerptLibrary(CONTENT)
    assert [(s.source.id, s.count) for s in library.sources()] == [("a", 5), ("b", 1)]


def test_excerpt_of_the_day_is_steady_within_a_day_and_cycles() -> None:
    library = ExcerptLibrary(CONTENT)
    day = date(2025, 3, 1)
    assert library.excerpt_of_the_day(7, day) == library.excerpt_of_the_day(7, day)
    week = [library.excerpt_of_the_day(7, day + timedelta(days=n)) for n in range(len(EXCERPTS))]
    assert len({e.id for e in week if e}) == len(EXCERPTS)
    assert ExcerptLibrary(Content()).excerpt_of_the_day(7, day) is None


def test_shipped_library_searches_with_fts5() -> None:
    library = ExcerptLibrary(load_content(DEFAULT_CONTENT_DIR))
    result = library.search("fear of abandonment")
    assert result.hits
    assert "**" in result.hits[0].highlighted
    assert {"fear-of-abandonment"} & set(result.hits[0].excerpt.topics)


def test_without_fts5_the_token_index_takes_over(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fts5(documents: object) -> None:
        raise sqlite3.OperationalError("no such module: fts5")

    monkeypatch.setattr(excerpt_index, "Fts5Index", no_fts5)
    assert isinstance(excerpt_index.build_index(documents()), TokenIndex)


SEARCHED = [
    *EXCERPTS,
    excerpt("x-6", ("self-care",), "No one is harmed by a quiet evening alone."),
    excerpt("x-7", ("trust",), "Pleasing people all day left little of my own day."),
]


@pytest.fixture(params=["fts5", "tokens"])
def searched(request: pytest.FixtureRequest) -> ExcerptLibrary:
    docs = [Document(e.id, e.text, " ".join(TOPICS[t].label for t in e.topics)) for e in SEARCHED]
    index: SearchIndex = (Fts5Index if request.param == "fts5" else TokenIndex)(docs)
    content = Content(topics=TOPICS, sources=SOURCES, excerpts={e.id: e for e in SEARCHED})
    return ExcerptLibrary(content, index=index)


def test_every_word_first_so_a_short_word_alone_finds_nothing(searched: ExcerptLibrary) -> None:
    library = searched
    result = library.search("saying no")
    assert [hit.excerpt.id for hit in result.hits] == ["x-3"] and not result.partial
    assert "x-6" not in [hit.excerpt.id for hit in library.search("no saying kindly").hits]


def test_some_words_only_when_none_has_them_all_and_said_so(searched: ExcerptLibrary) -> None:
    library = searched
    result = library.search("clinging elephants")
    assert [hit.excerpt.id for hit in result.hits] == ["x-5"] and result.partial
    assert library.search("no elephants").hits == ()  # "no" alone would match anything


def test_a_quoted_phrase_is_kept_whole(searched: ExcerptLibrary) -> None:
    assert [h.excerpt.id for h in searched.search('"fear of being left"').hits] == ["x-5"]
    # Both words are in x-7, though not as the phrase: FTS5 keeps the phrase, the fallback
    # index checks only that its words are there.
    found = [h.excerpt.id for h in searched.search('"people pleasing" day').hits]
    assert found in ([], ["x-7"])


def test_labels_and_notes_follow_the_locale_while_passages_stay_quoted() -> None:
    content = load_content(DEFAULT_CONTENT_DIR)
    library = ExcerptLibrary(content)
    noted = next(e for e in content.excerpts.values() if e.content_notes)
    english = (library.topic_labels(noted), library.note(noted), library.topics()[0].label)
    assert not quoted_in_another_language()
    with locale_scope("es-ES"):
        spanish = content.for_locale("es-ES")
        assert library.topic_labels(noted) == [spanish.topic_label(t) for t in noted.topics]
        assert library.note(noted) == spanish.notes_label(noted.content_notes)
        assert library.topics()[0].label == spanish.topics[library.topics()[0].id].label
        assert (library.topic_labels(noted), library.note(noted)) != english[:2]
        assert library.get(noted.id) == noted  # the passage itself is never rewritten
        assert quoted_in_another_language()
    assert (library.topic_labels(noted), library.note(noted), library.topics()[0].label) == english
