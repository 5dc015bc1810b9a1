from collections import Counter

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import Excerpt, load_content
from bot.content.loader import EXCERPT_MAX_WORDS, default_seeds_dir, normalise

SEEDS = default_seeds_dir(DEFAULT_CONTENT_DIR)
CONTENT = load_content(DEFAULT_CONTENT_DIR)
EXCERPTS = sorted(CONTENT.excerpts.values(), key=lambda e: e.id)


@pytest.mark.skipif(SEEDS is None, reason="the source articles (../shared/seeds) are not present")
@pytest.mark.parametrize("excerpt", EXCERPTS, ids=[e.id for e in EXCERPTS])
def test_excerpt_is_verbatim_in_its_article(excerpt: Excerpt) -> None:
    assert SEEDS is not None
    source = CONTENT.sources[excerpt.source]
    article = normalise((SEEDS / source.seed).read_text(encoding="utf-8"))
    assert normalise(excerpt.text) in article


def test_every_source_has_at_least_five_excerpts() -> None:
    counts = Counter(e.source for e in EXCERPTS)
    assert {s: counts[s] for s in CONTENT.sources if counts[s] < 5} == {}
    assert len(CONTENT.sources) == 5


def test_every_topic_has_at_least_three_excerpts() -> None:
    counts = Counter(topic for e in EXCERPTS for topic in e.topics)
    assert {t: counts[t] for t in CONTENT.topics if counts[t] < 3} == {}


def test_excerpts_are_short_whole_sentences() -> None:
    assert len(EXCERPTS) >= 40
    for excerpt in EXCERPTS:
        assert len(excerpt.text.split()) <= EXCERPT_MAX_WORDS, excerpt.id
        assert excerpt.text[0].isupper() or excerpt.text[0] in "“\"'(", excerpt.id
        assert excerpt.text.rstrip("”\"')").endswith((".", "!", "?", ":")), excerpt.id
