from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Storage
from bot.db.settings import update_settings
from bot.errors import UserFacingError
from bot.services.discussions import (
    MAX_QUESTION_CHARS,
    AnonymousQuestions,
    DiscussionPersonalData,
    Discussions,
    TooLong,
)
from bot.services.discussions.questions import BLOCKED_MESSAGE
from bot.services.privacy import KeyedHasher
from tests.services.discussions.conftest import CHANNEL, GUILD, LOG, RecordingPlatform

ALICE, BOB = 111111111111111111, 222222222222222222


async def open_discussion(discussions: Discussions) -> int:
    started = await discussions.start(GUILD, CHANNEL, "topic", "trust", duration_minutes=60)
    return started.discussion_id


async def test_direct_mode_relays_at_once_with_a_stable_pseudonym(
    discussions: Discussions,
    questions: AnonymousQuestions,
    platform: RecordingPlatform,
    db: Storage,
) -> None:
    await update_settings(db, GUILD, anonymous_mode="direct")
    first = await open_discussion(discussions)
    a1 = await questions.ask(GUILD, ALICE, first, "  What if I @everyone?  ")
    a2 = await questions.ask(GUILD, ALICE, first, "And again")
    b1 = await questions.ask(GUILD, BOB, first, "Me too")
    assert a1.status == "relayed" and a1.pseudonym == a2.pseudonym != b1.pseudonym
    assert platform.relayed[0][2] == "What if I @everyone?"
    await discussions.close(GUILD, discussion_id=first)
    second = await open_discussion(discussions)
    assert (await questions.ask(GUILD, BOB, second, "New one")).pseudonym  # new discussion works
    text = await db.fetchval("SELECT COUNT(*) FROM discussion_questions WHERE text IS NOT NULL")
    assert text == 0  # relayed text lives in the thread, not in the database


async def test_reviewed_mode_queues_then_approve_or_reject(
    discussions: Discussions,
    questions: AnonymousQuestions,
    platform: RecordingPlatform,
    db: Storage,
) -> None:
    await update_settings(db, GUILD, log_channel_id=LOG)
    discussion = await open_discussion(discussions)
    asked = await questions.ask(GUILD, ALICE, discussion, "Is it normal to feel this?")
    other = await questions.ask(GUILD, BOB, discussion, "Something unkind")
    assert asked.status == "pending" and asked.review_posted and not platform.relayed
    assert [card.text for card in platform.reviews] == [
        "Is it normal to feel this?",
        "Something unkind",
    ]
    assert len(await questions.pending(GUILD)) == 2
    await questions.approve(GUILD, asked.question_id)
    assert platform.relayed == [(asked.thread_id, asked.pseudonym, "Is it normal to feel this?")]
    with pytest.raises(UserFacingError, match="already decided"):
        await questions.approve(GUILD, asked.question_id)
    await questions.reject(GUILD, other.question_id, block=True)
    assert len(platform.settled) == 2 and await questions.pending(GUILD) == []
    with pytest.raises(UserFacingError) as refused:
        await questions.ask(GUILD, BOB, discussion, "Let me in")
    assert str(refused.value) == BLOCKED_MESSAGE


async def test_closing_expires_waiting_questions_and_drops_their_text(
    discussions: Discussions, questions: AnonymousQuestions, db: Storage
) -> None:
    discussion = await open_discussion(discussions)
    await questions.ask(GUILD, ALICE, discussion, "Waiting")
    await discussions.close(GUILD, discussion_id=discussion)
    row = await db.fetchone("SELECT status, text FROM discussion_questions")
    assert row is not None and (row["status"], row["text"]) == ("expired", None)


async def test_remove_and_block_by_pseudonym_names_no_one(
    discussions: Discussions,
    questions: AnonymousQuestions,
    platform: RecordingPlatform,
    db: Storage,
) -> None:
    await update_settings(db, GUILD, anonymous_mode="direct")
    discussion = await open_discussion(discussions)
    asked = await questions.ask(GUILD, ALICE, discussion, "hurtful words")
    decided = await questions.remove_and_block(GUILD, asked.question_id)
    assert asked.pseudonym in decided.outcome and str(ALICE) not in decided.outcome
    assert platform.deleted and await db.fetchval("SELECT COUNT(*) FROM anonymous_blocks") == 1
    with pytest.raises(UserFacingError, match="blocked"):
        await questions.precheck(GUILD, ALICE, thread_id=None, discussion_id=discussion)
    # The block is per server: elsewhere the member may still ask.
    await questions.precheck(GUILD, BOB, thread_id=None, discussion_id=discussion)


async def test_limits_mode_off_length_and_rate(
    discussions: Discussions, questions: AnonymousQuestions, clock: FakeClock, db: Storage
) -> None:
    await update_settings(db, GUILD, anonymous_mode="direct")
    discussion = await open_discussion(discussions)
    with pytest.raises(TooLong, match="1,800") as long:
        await questions.ask(GUILD, ALICE, discussion, "x" * (MAX_QUESTION_CHARS + 1))
    assert long.value.text == "x" * (MAX_QUESTION_CHARS + 1)
    with pytest.raises(UserFacingError, match="empty"):
        await questions.ask(GUILD, ALICE, discussion, "   ")
    for n in range(3):
        await questions.ask(GUILD, ALICE, discussion, f"q{n}")
    with pytest.raises(UserFacingError, match="3 anonymous questions"):
        await questions.ask(GUILD, ALICE, discussion, "one more")
    clock.advance(timedelta(minutes=10, seconds=1))
    await questions.ask(GUILD, ALICE, discussion, "later")
    await update_settings(db, GUILD, anonymous_mode="off")
    with pytest.raises(UserFacingError, match="turned off"):
        await questions.ask(GUILD, BOB, discussion, "hello")


async def test_personal_data_describes_and_deletes_only_what_is_theirs(
    discussions: Discussions, questions: AnonymousQuestions, db: Storage, hasher: KeyedHasher
) -> None:
    discussion = await open_discussion(discussions)
    mine = await questions.ask(GUILD, ALICE, discussion, "pending one")
    await questions.ask(GUILD, BOB, discussion, "bob's")
    await questions.reject(GUILD, mine.question_id, block=True)
    provider = DiscussionPersonalData(db, hasher)
    described = " ".join(item.description for item in await provider.describe(ALICE))
    assert "block" in described and "keeps them" in described
    bobs = " ".join(item.description for item in await provider.describe(BOB))
    assert "waiting for a facilitator" in bobs
    assert await provider.delete(BOB) == 1
    assert (
        await db.fetchval("SELECT COUNT(*) FROM discussion_questions WHERE status = 'pending'") == 0
    )
    assert await db.fetchval("SELECT COUNT(*) FROM anonymous_blocks") == 1
    assert await provider.describe(987) == []
