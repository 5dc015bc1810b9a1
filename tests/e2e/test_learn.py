"""/learn end to end: the real MutualBot through the Discord stand-in."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import load_content
from bot.content.loader import default_seeds_dir, normalise
from bot.i18n import _ as translated
from bot.i18n import locale_scope
from bot.services.excerpts import ExcerptLibrary
from standin.harness import Sandbox
from standin.people import Reply, message_text
from standin.permissions import Perm
from tests.test_cli import run_cli

SEEDS = default_seeds_dir(DEFAULT_CONTENT_DIR)


def library_of(sandbox: Sandbox) -> ExcerptLibrary:
    library = sandbox.bot.excerpts  # type: ignore[attr-defined]
    assert isinstance(library, ExcerptLibrary)
    return library


def button(reply: Reply, label: str) -> dict[str, Any]:
    return next(
        component
        for row in reply.components
        for component in row["components"]
        if component.get("label") == label
    )


def footer(reply: Reply) -> str:
    assert reply.embed is not None
    return str(reply.embed["footer"]["text"])


async def test_topic_browsing_pages_to_both_ends(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    library = library_of(sandbox)
    first = library.page("trust", 0)
    assert first is not None and first.total >= 3

    reply = await alice.slash("learn topic", topic="trust")
    assert reply.ephemeral
    assert reply.embed is not None and reply.embed["title"] == "Trust"
    assert footer(reply).startswith(f"1 of {first.total}")
    assert button(reply, "Previous")["disabled"] is True
    assert button(reply, "Next")["disabled"] is False

    seen = [reply.embed["description"]]
    for _ in range(first.total - 1):
        await alice.click(reply, "Next")
        assert reply.embed is not None
        seen.append(reply.embed["description"])
    assert footer(reply).startswith(f"{first.total} of {first.total}")
    assert button(reply, "Next")["disabled"] is True
    assert button(reply, "Previous")["disabled"] is False
    assert len(set(seen)) == first.total
    assert all("Trust" in message_text(m) for m in reply.messages)

    await alice.click(reply, "Previous")
    assert footer(reply).startswith(f"{first.total - 1} of {first.total}")
    assert reply.embed is not None and reply.embed["description"] == seen[-2]


async def test_paging_buttons_need_nothing_but_their_custom_id(sandbox: Sandbox) -> None:
    """What a restart looks like: a button on a message this bot process never sent."""
    alice = sandbox.person("alice")
    old = sandbox.world.add_message(
        sandbox.channel("general"),
        sandbox.world.bot,
        content="",
        components=[
            {
                "type": 1,
                "components": [
                    {"type": 2, "style": 2, "label": "Next", "custom_id": "learn:next:trust:1"}
                ],
            }
        ],
    )
    reply = await alice.click(old, "Next")
    page = library_of(sandbox).page("trust", 2)
    assert page is not None
    assert reply.embed is not None and reply.embed["description"] == page.excerpt.text
    assert footer(reply).startswith(f"3 of {page.total}")


async def test_autocomplete_offers_at_most_25_matching_topics(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    everything = await alice.autocomplete("learn topic", "topic", "")
    assert 10 <= len(everything) <= 25
    for typed in ("self", "TRU", "abandon", "help"):
        choices = await alice.autocomplete("learn topic", "topic", typed)
        assert choices, typed
        assert len(choices) <= 25
        assert all(typed.lower() in choice["name"].lower() for choice in choices), choices
    assert await alice.autocomplete("learn topic", "topic", "xylophone") == []

    picked = (await alice.autocomplete("learn topic", "topic", "abandon"))[0]["value"]
    reply = await alice.slash("learn topic", topic=picked)
    assert reply.embed is not None and reply.embed["title"] == "Fear of abandonment"


async def test_unknown_topic_is_answered_kindly(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("learn topic", topic="gardening")
    assert reply.ephemeral
    assert "don't have a topic" in reply.content


async def test_search_highlights_ranked_hits(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("learn search", query="fear of abandonment")
    assert reply.ephemeral
    assert reply.embed is not None
    fields = reply.embed["fields"]
    assert 1 <= len(fields) <= 5
    assert "**abandonment**" in fields[0]["value"].lower()
    assert "**of**" not in fields[0]["value"]
    assert all("“" in field["name"] for field in fields)  # each hit names its article


async def test_search_without_hits_suggests_topics(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    reply = await sandbox.person("alice").slash("learn search", query="xylophone")
    assert reply.ephemeral
    assert reply.embed is not None
    assert reply.embed["title"] == "Nothing matched yet"
    assert "/learn topic" in reply.embed["description"]
    labels = [topic.label for topic in library_of(sandbox).topics()]
    assert sum(label in reply.embed["description"] for label in labels) >= 3
    assert "xylophone" not in caplog.text  # what members type is never logged


def shares(sandbox: Sandbox) -> list[Any]:
    return [
        request
        for request in sandbox.standin.requests
        if request.method == "POST" and request.route == "/channels/{}/messages"
    ]


async def test_share_posts_publicly_attributed_and_names_nobody(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    reply = await alice.slash("learn topic", topic="trust")
    excerpt = library_of(sandbox).page("trust", 0)
    assert excerpt is not None

    confirm = await alice.click(reply, "Share here")
    assert confirm.ephemeral
    assert "without your name" in confirm.content

    posted = sandbox.messages_in("general")
    assert len(posted) == 1
    message = posted[0]
    assert message.author.id == sandbox.world.bot.id
    assert not message.ephemeral
    text = message_text(message)
    assert excerpt.excerpt.text in text
    assert library_of(sandbox).attribution(excerpt.excerpt) in text
    assert "alice" not in text.lower() and str(alice.id) not in text
    assert message.interaction_metadata is None

    (request,) = shares(sandbox)
    assert request.body["allowed_mentions"] == {"parse": []}


async def test_sharing_with_a_name_is_opt_in_and_still_pings_nobody(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    reply = await alice.slash("learn random")
    assert reply.labels()[-2:] == ["Share here", "Share with my name"]
    confirm = await alice.click(reply, "Share with my name")
    assert "with your name" in confirm.content
    (message,) = sandbox.messages_in("general")
    assert message_text(message).endswith("Shared by Alice")  # her display name, as text
    (request,) = shares(sandbox)
    assert request.body["allowed_mentions"] == {"parse": []}


@pytest.mark.parametrize(
    ("denied", "named"),
    [(Perm.SEND_MESSAGES, "Send Messages"), (Perm.EMBED_LINKS, "Embed Links")],
)
async def test_share_without_permission_explains_which_one(
    sandbox: Sandbox, denied: Perm, named: str
) -> None:
    await sandbox.standin.deny_bot("reflections", denied)
    alice = sandbox.person("alice")
    reply = await alice.slash("learn random", where="reflections")
    answer = await alice.click(reply, "Share here")
    assert answer.ephemeral
    assert f"**{named}**" in answer.content
    assert "Nothing was posted" in answer.content
    assert sandbox.messages_in("reflections") == []


async def test_sources_list_articles_with_counts(sandbox: Sandbox) -> None:
    reply = await sandbox.person("bob").slash("learn sources")
    assert reply.ephemeral
    assert reply.embed is not None
    fields = {field["name"]: field["value"] for field in reply.embed["fields"]}
    assert len(fields) == 5
    kyle = fields["“Codependent vs. Interdependent Relationships: Keys to Healthy Connections”"]
    count = next(s.count for s in library_of(sandbox).sources() if s.source.id == "kyle-davis")
    assert kyle.splitlines() == ["Kyle Davis", f"{count} passages"]
    untitled = fields["“Breaking Free From Codependency: Building Interdependent Relationships”"]
    assert untitled.splitlines()[0].endswith("passages")  # no site: the article names none


def _bad_excerpts_file(content: Path) -> tuple[str, str]:
    """One verbatim but over-long excerpt and one short excerpt the article never says."""
    assert SEEDS is not None
    source = load_content(content).sources["kyle-davis"]
    words = normalise((SEEDS / source.seed).read_text(encoding="utf-8")).split()
    start = next(i for i, word in enumerate(words) if word.endswith(".")) + 1
    long_text = " ".join(words[start : start + 95])
    invented = "Interdependence means never needing anyone at all."
    (content / "excerpts" / "zz-bad.toml").write_text(
        "".join(
            f'[[excerpt]]\nid = "{ident}"\nsource = "kyle-davis"\ntopics = ["trust"]\n'
            f"text = {json.dumps(text, ensure_ascii=False)}\n\n"
            for ident, text in (("zz-long", long_text), ("zz-invented", invented))
        ),
        encoding="utf-8",
    )
    return source.seed, long_text


@pytest.mark.skipif(SEEDS is None, reason="the source articles (../shared/seeds) are not present")
def test_check_content_catches_overlong_and_unsourced_excerpts(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    seed, long_text = _bad_excerpts_file(content)
    assert SEEDS is not None and normalise(long_text) in normalise(
        (SEEDS / seed).read_text(encoding="utf-8")
    )

    result = run_cli("check-content", "--path", str(content), "--seeds", str(SEEDS), cwd=tmp_path)

    assert result.returncode == 1
    problems = result.stdout.splitlines()
    assert problems == [
        "excerpts/zz-bad.toml: excerpt[0].text: has 95 words; the limit is 80",
        f"excerpts/zz-bad.toml: excerpt[1].text: is not a verbatim passage of {seed}",
    ]


async def test_search_wants_every_word_and_keeps_phrases(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    phrase = await alice.slash("learn search", query='"fear of abandonment"')
    assert phrase.embed is not None and phrase.embed["fields"]
    assert "**Fear of Abandonment**" in phrase.embed["fields"][0]["value"]
    none = await alice.slash("learn search", query="saying no")
    assert none.embed is not None and none.embed["title"] == "Nothing matched yet"
    some = await alice.slash("learn search", query="abandonment zebras")
    assert some.embed is not None and "some of them" in (some.embed.get("description") or "")
    sandbox.assert_no_failures()


async def test_a_shared_passage_is_framed_in_the_servers_language(sandbox: Sandbox) -> None:
    """The public frame follows /config language; the passage stays word for word and says it
    is quoted in English; the sharer's own answer stays in their language."""
    await sandbox.person("mod").slash("config language", language="es-ES")
    alice = sandbox.person("alice")
    reply = await alice.slash("learn topic", topic="trust")
    page = library_of(sandbox).page("trust", 0)
    assert page is not None
    confirm = await alice.click(reply, "Share here")
    assert "without your name" in confirm.content

    (message,) = sandbox.messages_in("general")
    text = message_text(message)
    assert page.excerpt.text in text
    with locale_scope("es-ES"):
        quoted = translated("Quoted in English from")
    assert quoted in text and quoted != "Quoted in English from"
    spanish = load_content(DEFAULT_CONTENT_DIR).for_locale("es-ES")
    assert all(spanish.topic_label(topic) in text for topic in page.excerpt.topics)
    assert reply.embed is not None  # Alice reads English, so her own page just says "From"
    assert reply.embed["fields"][0]["name"] == "From"
