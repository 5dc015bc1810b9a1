"""Anonymous questions: relayed at once or after review, removable, with blockable pseudonyms.

No raw member id is stored. Each question keeps two keyed hashes: the asker key (scoped to the
discussion, it makes the pseudonym) and the block key (scoped to the server, what a block stores).
A facilitator who blocks a pseudonym copies that block key into the blocks table; nobody, the
facilitator included, learns who it was.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Storage
from bot.db import anonymous_questions as questions_repo
from bot.db import discussions as repo
from bot.db.anonymous_questions import QuestionRow as QuestionRow  # re-exported for the cogs
from bot.db.discussions import DiscussionRow
from bot.db.settings import get_settings
from bot.errors import UserFacingError
from bot.i18n import N_, _, ngettext
from bot.i18n.numbers import number
from bot.services.discussions.lookup import open_discussion_meant
from bot.services.discussions.model import (
    MAX_QUESTION_CHARS,
    Asked,
    Decided,
    DiscussionPlatform,
    ReportCard,
    Reported,
    ServerLocale,
    in_english,
)
from bot.services.discussions.pseudonyms import pseudonym_for, shown
from bot.services.discussions.ratelimit import QuestionRateLimit
from bot.services.discussions.review_cards import ReviewCards
from bot.services.privacy import KeyedHasher

BLOCKED_MESSAGE = N_(
    "You're blocked from asking anonymous questions in this server, so this one wasn't sent. "
    "You're still welcome to take part in discussions under your own name, and a moderator "
    "can talk it through with you if you'd like."
)


def discussion_scope(discussion_id: int) -> str:
    return f"discussion:{discussion_id}"


def block_scope(guild_id: int) -> str:
    return f"block:{guild_id}"


def report_scope(guild_id: int) -> str:
    return f"report:{guild_id}"


class TooLong(UserFacingError):
    """Carries the text back so the member can shorten it instead of retyping it."""

    def __init__(self, text: str) -> None:
        super().__init__(
            ngettext(
                "Your question is {count} character; questions can be up to {limit} so they "
                "fit in one Discord message. Please shorten it and send it again: nothing was "
                "posted.",
                "Your question is {count} characters; questions can be up to {limit} so they "
                "fit in one Discord message. Please shorten it and send it again: nothing was "
                "posted.",
                len(text),
            ).format(count=number(len(text)), limit=number(MAX_QUESTION_CHARS))
        )
        self.text = text


def approved(pseudonym: str) -> str:
    return _("Approved and relayed to the discussion as {pseudonym}.").format(
        pseudonym=shown(pseudonym)
    )


class AnonymousQuestions:
    def __init__(
        self,
        db: Storage,
        clock: Clock,
        hasher: KeyedHasher,
        platform: DiscussionPlatform,
        rate_limit: QuestionRateLimit | None = None,
        server_locale: ServerLocale = in_english,
    ) -> None:
        """`server_locale` gives the language of a server's posts, where review cards are."""
        self.db = db
        self.clock = clock
        self.hasher = hasher
        self.platform = platform
        self.rate_limit = rate_limit or QuestionRateLimit(db, clock, hasher)
        self.server_locale = server_locale
        self.cards = ReviewCards(db, platform, server_locale)

    async def target(
        self, guild_id: int, *, thread_id: int | None, discussion_id: int | None
    ) -> DiscussionRow:
        """The open discussion a member asks in: the chosen one, this thread, or the only one."""
        row = await open_discussion_meant(
            self.db,
            guild_id,
            thread_id=thread_id,
            discussion_id=discussion_id,
            several_open=_(
                "Several discussions are open. Please use /ask inside the discussion's "
                "thread, or choose the discussion in the command."
            ),
        )
        if row is None or not row.thread_id:
            raise UserFacingError(
                _(
                    "There's no open discussion to ask in right now. When one opens, you can use "
                    "/ask inside its thread."
                )
            )
        return row

    async def precheck(
        self, guild_id: int, user_id: int, *, thread_id: int | None, discussion_id: int | None
    ) -> DiscussionRow:
        """What can be refused before the member types anything: saves them writing in vain."""
        settings = await get_settings(self.db, guild_id)
        if settings.anonymous_mode == "off":
            raise UserFacingError(
                _(
                    "Anonymous questions are turned off in this server. You're welcome to ask in "
                    "the discussion under your own name."
                )
            )
        row = await self.target(guild_id, thread_id=thread_id, discussion_id=discussion_id)
        if await questions_repo.is_blocked(
            self.db, guild_id, self.hasher.key(block_scope(guild_id), user_id)
        ):
            raise UserFacingError(_(BLOCKED_MESSAGE))
        return row

    async def ask(self, guild_id: int, user_id: int, discussion_id: int, text: str) -> Asked:
        text = text.strip()
        if not text:
            raise UserFacingError(_("Your question was empty, so nothing was sent."))
        if len(text) > MAX_QUESTION_CHARS:
            raise TooLong(text)
        row = await self.precheck(guild_id, user_id, thread_id=None, discussion_id=discussion_id)
        assert row.thread_id is not None
        decision = await self.rate_limit.check(guild_id, user_id)
        if not decision.allowed:
            raise UserFacingError(self.rate_limit.refusal(decision.retry_at))
        mode = (await get_settings(self.db, guild_id)).anonymous_mode
        asker_key = self.hasher.key(discussion_scope(row.id), user_id)
        block_key = self.hasher.key(block_scope(guild_id), user_id)
        pseudonym = pseudonym_for(asker_key, await questions_repo.pseudonyms_in(self.db, row.id))
        now = self.clock.now()
        direct = mode == "direct"
        # Text is kept only until it is in the thread (direct) or a facilitator decides
        # (reviewed), so a relay a stop interrupts can still be finished at the next start.
        question_id = await questions_repo.add_question(
            self.db,
            discussion_id=row.id,
            guild_id=guild_id,
            asker_key=asker_key,
            block_key=block_key,
            pseudonym=pseudonym,
            status="relaying" if direct else "pending",
            text=text,
            now=now,
        )
        if direct:
            # Counted before posting, so a stop right after the post still counts it.
            counted_at = await self.rate_limit.record(guild_id, user_id)
            try:
                message_id = await self.platform.relay(
                    guild_id, row.thread_id, pseudonym, text, question_id
                )
            except Exception:
                await questions_repo.delete_question(self.db, question_id)
                await self.rate_limit.forget(guild_id, user_id, counted_at)
                raise
            await questions_repo.finish_relay(self.db, question_id, message_id)
            return Asked("relayed", pseudonym, row.title, row.thread_id, question_id)
        await self.rate_limit.record(guild_id, user_id)
        posted = await self.cards.post_review(guild_id, row, question_id, pseudonym, text)
        return Asked("pending", pseudonym, row.title, row.thread_id, question_id, posted)

    async def report(self, guild_id: int, user_id: int, question_id: int, text: str) -> Reported:
        """A member flags a relayed question. `text` is the relayed message as members see it
        (the stored text is dropped once relayed); the reporter is kept only as a keyed hash."""
        question = await self._question(guild_id, question_id)
        if question.status != "relayed":
            raise UserFacingError(
                _("That question has already been removed, so there's nothing left to report.")
            )
        reporter_key = self.hasher.key(report_scope(guild_id), user_id)
        new, reports = await questions_repo.add_report(
            self.db, question_id, guild_id, reporter_key, self.clock.now()
        )
        if new:
            await self.cards.post_report(guild_id, question, reports, text)
        return Reported(question.pseudonym, new)

    async def reported(self, guild_id: int) -> list[ReportCard]:
        """Reported questions still up, for /discuss queue (their text is in the thread)."""
        return [
            await self.cards.report_card(question, reports, "")
            for question, reports in await questions_repo.reported_questions(self.db, guild_id)
        ]

    # -- facilitators --------------------------------------------------------------------------

    async def _question(self, guild_id: int, question_id: int) -> QuestionRow:
        question = await questions_repo.get_question(self.db, question_id)
        if question is None or question.guild_id != guild_id:
            raise UserFacingError(_("I couldn't find that question; it may have been removed."))
        return question

    async def pending(self, guild_id: int) -> list[tuple[QuestionRow, DiscussionRow]]:
        found: list[tuple[QuestionRow, DiscussionRow]] = []
        for question in await questions_repo.questions_with_status(self.db, guild_id, "pending"):
            row = await repo.get_discussion(self.db, question.discussion_id)
            if row is not None:
                found.append((question, row))
        return found

    async def relayed(self, guild_id: int) -> list[QuestionRow]:
        return await questions_repo.questions_with_status(self.db, guild_id, "relayed")

    async def approve(self, guild_id: int, question_id: int) -> Decided:
        question = await self._question(guild_id, question_id)
        row = await repo.get_discussion(self.db, question.discussion_id)
        if row is None or row.state != "open" or row.thread_id is None:
            await self.reject(guild_id, question_id)
            raise UserFacingError(_("That discussion has closed, so the question wasn't relayed."))
        text = question.text or ""
        now = self.clock.now()
        if not await questions_repo.claim_question(
            self.db, question_id, from_status="pending", to_status="relaying", now=now
        ):
            raise UserFacingError(_("Another facilitator has already decided on this question."))
        message_id = await self.platform.relay(
            guild_id, row.thread_id, question.pseudonym, text, question_id
        )
        await questions_repo.finish_relay(self.db, question_id, message_id)
        await self.cards.settle(question, lambda: approved(question.pseudonym))
        return Decided(question_id, question.pseudonym, approved(question.pseudonym))

    async def reject(self, guild_id: int, question_id: int, *, block: bool = False) -> Decided:
        question = await self._question(guild_id, question_id)
        if not await questions_repo.claim_question(
            self.db, question_id, from_status="pending", to_status="rejected", now=self.clock.now()
        ):
            raise UserFacingError(_("Another facilitator has already decided on this question."))
        if block:
            await questions_repo.add_block(self.db, guild_id, question.block_key, self.clock.now())

        def outcome() -> str:
            if block:
                return _(
                    "Not relayed. The question from {pseudonym} was set aside. The person behind "
                    "it can no longer ask anonymously in this server."
                ).format(pseudonym=shown(question.pseudonym))
            return _("Not relayed. The question from {pseudonym} was set aside.").format(
                pseudonym=shown(question.pseudonym)
            )

        await self.cards.settle(question, outcome)
        return Decided(question_id, question.pseudonym, outcome())

    async def remove_and_block(self, guild_id: int, question_id: int) -> Decided:
        question = await self._question(guild_id, question_id)
        if question.status != "relayed":
            raise UserFacingError(_("Only a question that was relayed to a thread can be removed."))
        row = await repo.get_discussion(self.db, question.discussion_id)
        now = self.clock.now()
        await questions_repo.add_block(self.db, guild_id, question.block_key, now)
        await questions_repo.claim_question(
            self.db, question_id, from_status="relayed", to_status="removed", now=now
        )
        if row is not None and row.thread_id and question.message_id:
            await self.platform.delete_message(guild_id, row.thread_id, question.message_id)
        outcome = _(
            "Removed the question from {pseudonym}. The person behind that pseudonym can no "
            "longer ask anonymous questions in this server. No one, you included, can see who it "
            "was."
        ).format(pseudonym=shown(question.pseudonym))
        return Decided(question_id, question.pseudonym, outcome)

    async def resume_relay(self, question: QuestionRow) -> None:
        """Finish a relay a stop interrupted: record the message if it went out, post it if not
        (its text is kept until then), or set it aside if its discussion is over."""
        row = await repo.get_discussion(self.db, question.discussion_id)
        thread_id = row.thread_id if row is not None else None
        message_id: int | None = None
        if thread_id is not None and question.created_at is not None:
            known = await questions_repo.relayed_message_ids(self.db, question.discussion_id)
            message_id = await self.platform.find_relay(
                thread_id, question.pseudonym, question.created_at, known
            )
        if message_id is None and question.text and row is not None and row.state == "open":
            assert thread_id is not None
            message_id = await self.platform.relay(
                question.guild_id, thread_id, question.pseudonym, question.text, question.id
            )
        if message_id is None:
            await questions_repo.claim_question(
                self.db, question.id, from_status="relaying", to_status="expired",
                now=self.clock.now(),
            )  # fmt: skip
            await self.cards.settle(
                question, lambda: _("Not relayed: the discussion closed before it could be posted.")
            )
        else:
            await questions_repo.finish_relay(self.db, question.id, message_id)
            await self.cards.settle(question, lambda: approved(question.pseudonym))
