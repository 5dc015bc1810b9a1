"""What the discussions' timer does to one discussion, with no facilitator at the keyboard.

A reminder before a scheduled discussion, its opening when it is due, the close when its time
is up, a word to facilitators about an opening that got stuck, and, after a restart, finishing
or undoing an opening or a close that a stop left half done. Each step is written in the
server's language (`server_locale`), like the posts themselves, and what a step could not do is
told to the facilitators in the log channel.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.db import discussions as repo
from bot.db.discussions import DiscussionRow
from bot.errors import UserFacingError
from bot.i18n import _, locale_scope
from bot.services.discussions import sources
from bot.services.discussions.lifecycle import Discussions

log = logging.getLogger(__name__)


class TimerSteps:
    def __init__(self, discussions: Discussions) -> None:
        self.discussions = discussions
        self.db = discussions.db
        self.clock = discussions.clock
        self.platform = discussions.platform

    async def remind(self, row: DiscussionRow) -> None:
        with locale_scope(await self.discussions.server_locale(row.guild_id)):
            await self.platform.remind(self.discussions.announcement(row))

    async def open_scheduled(self, row: DiscussionRow) -> None:
        """Open a claimed scheduled discussion; a failure is told to the facilitators."""
        with locale_scope(await self.discussions.server_locale(row.guild_id)):
            await self._open_scheduled(row)

    async def _open_scheduled(self, row: DiscussionRow) -> None:
        discussions = self.discussions
        try:
            plan = sources.resolve(
                discussions.content,
                row.source_kind,  # type: ignore[arg-type]
                row.source_id,
                rotation=row.id,
                attribution=discussions.attribution,
                guide_id=row.guide_id,
            )
            await self.platform.check_can_open(row.guild_id, row.channel_id)
            await discussions.open_planned(row.id, row.guild_id, row.channel_id, plan)
        except UserFacingError as problem:
            await repo.set_state(self.db, row.id, "failed")
            await self.platform.tell_facilitators(
                row.guild_id,
                _("The scheduled discussion “{title}” couldn't open. {problem}").format(
                    title=discussions.title_of(row), problem=problem
                ),
            )
        except Exception:
            await repo.set_state(self.db, row.id, "failed")
            log.exception("Scheduled discussion %s failed to open", row.id)
            await self.platform.tell_facilitators(
                row.guild_id,
                _(
                    "The scheduled discussion “{title}” couldn't open because of a problem "
                    "on my side. Please start it with /discuss start."
                ).format(title=discussions.title_of(row)),
            )
        await discussions.changed()

    async def report_stuck(self, row: DiscussionRow) -> None:
        with locale_scope(await self.discussions.server_locale(row.guild_id)):
            text = _(
                "The scheduled discussion “{title}” was interrupted while opening (the bot "
                "restarted). Please check the channel and start it with /discuss start if needed."
            ).format(title=self.discussions.title_of(row))
        await self.platform.tell_facilitators(row.guild_id, text)

    async def close_due(self, row: DiscussionRow) -> None:
        with locale_scope(await self.discussions.server_locale(row.guild_id)):
            try:
                await self.discussions.claim_and_close(row, note=None, by_timer=True)
            except UserFacingError as problem:
                await self.platform.tell_facilitators(
                    row.guild_id,
                    # Translators: {problem} is a whole sentence saying what the bot lacks.
                    _("The discussion “{title}” reached its end, but {problem}").format(
                        title=self.discussions.title_of(row), problem=problem
                    ),
                )

    # -- after a stop --------------------------------------------------------------------------

    async def resume_interrupted(self, row: DiscussionRow) -> None:
        """Finish or undo an opening or a close that a stop left half done."""
        with locale_scope(await self.discussions.server_locale(row.guild_id)):
            await self._resume_interrupted(row)

    async def _resume_interrupted(self, row: DiscussionRow) -> None:
        if row.state == "opening":
            await self._resume_opening(row)
        elif row.thread_id is None:
            await repo.close_done(self.db, row.id)
        else:
            closed_at = row.closed_at or self.clock.now()
            by_timer = row.close_at is not None and closed_at >= row.close_at
            # The facilitator's closing note was only in memory; the summary goes without it.
            summary = await self.discussions.summary(
                row, closed_at, note=None, by_timer=by_timer, resumed=True
            )
            try:
                await self.platform.close_thread(summary)
            finally:
                await repo.close_done(self.db, row.id)
        await self.discussions.changed()

    async def _resume_opening(self, row: DiscussionRow) -> None:
        taken = await repo.thread_ids_in(self.db, row.channel_id)
        # The opening was titled in the server's language, which is the language of the moment.
        title = self.discussions.title_of(row)
        thread_id = await self.platform.find_opening(row.guild_id, row.channel_id, title, taken)
        if thread_id is not None:
            now = self.clock.now()
            close_at = now + timedelta(minutes=row.duration_minutes)
            await repo.mark_opened(
                self.db, row.id, thread_id=thread_id, opened_at=now, close_at=close_at
            )
        elif row.starts_at is not None:
            await self.open_scheduled(row)  # due already; a failure is told to facilitators
        else:
            await repo.delete_discussion(self.db, row.id)
            await self.platform.tell_facilitators(
                row.guild_id,
                _(
                    "Starting the discussion “{title}” was interrupted (the bot restarted) "
                    "before its thread was made. Please check the channel, and start it again "
                    "with /discuss start."
                ).format(title=title),
            )
