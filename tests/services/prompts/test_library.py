import pytest

from bot.content.model import Content, Prompt, Topic
from bot.db import Storage
from bot.services.privacy import KeyedHasher
from bot.services.prompts.library import MAX_PENDING_PER_MEMBER, PromptLibrary
from bot.services.prompts.model import PromptInputError

CONTENT = Content(
    topics={"trust": Topic("trust", "Trust")},
    prompts={"trust-001": Prompt("trust-001", "trust", "A built-in prompt")},
)


@pytest.fixture
def library(storage: Storage) -> PromptLibrary:
    return PromptLibrary(storage, CONTENT, KeyedHasher(b"library-test-secret-000"))


async def test_suggestions_are_kept_under_a_keyed_hash_and_deletable(
    library: PromptLibrary,
) -> None:
    member = 381234567890123456
    await library.suggest(1, member, "What helps you rest when the week is loud?", None)
    stored = await library.db.fetchall("SELECT * FROM prompt_suggestions")
    assert len(stored) == 1 and str(member) not in " ".join(map(str, tuple(stored[0])))
    assert len(await library.describe(member)) == 1
    assert await library.describe(member + 1) == []
    assert await library.delete(member) == 1
    assert await library.describe(member) == []


async def test_a_member_can_have_only_a_few_waiting(library: PromptLibrary) -> None:
    for n in range(MAX_PENDING_PER_MEMBER):
        await library.suggest(1, 42, f"Suggestion number {n} about rest", None)
    with pytest.raises(PromptInputError, match="waiting"):
        await library.suggest(1, 42, "One more suggestion about rest", None)
    await library.suggest(2, 42, "The same member in another server", None)


async def test_approval_happens_once_and_forgets_the_suggester(library: PromptLibrary) -> None:
    sid = await library.suggest(1, 42, "What does support that feels balanced look like?", "x")
    added = await library.approve(1, sid)
    assert added.origin == "suggestion" and added.content_warning == "x"
    with pytest.raises(PromptInputError, match="already reviewed"):
        await library.approve(1, sid)
    with pytest.raises(PromptInputError, match="already reviewed"):
        await library.reject(1, sid)
    assert await library.describe(42) == []
    assert (await library.page(1, 0)).total == 1
    assert (await library.page(2, 0)).total == 0  # another server sees nothing of it


async def test_input_is_checked_kindly(library: PromptLibrary) -> None:
    with pytest.raises(PromptInputError, match="at least"):
        await library.add(1, "short", None, None)
    with pytest.raises(PromptInputError, match="topic"):
        await library.add(1, "A long enough prompt text", None, "gardening")
    added = await library.add(1, "A long enough prompt text", None, "Trust")
    assert added.topic == "trust"
    with pytest.raises(PromptInputError, match="#99"):
        await library.remove(1, 99)
    await library.remove(1, added.id)
