"""Which discussion a command means: the one chosen, the thread it was used in, or the only one.

Facilitators closing and members asking resolve the same way, so both read the same rules.
"""

from __future__ import annotations

from bot.db import Storage
from bot.db import discussions as repo
from bot.db.discussions import DiscussionRow
from bot.errors import UserFacingError


async def open_discussion_meant(
    db: Storage,
    guild_id: int,
    *,
    thread_id: int | None,
    discussion_id: int | None,
    several_open: str,
) -> DiscussionRow | None:
    """The open discussion of this server the command refers to, or None if there is none.

    With several open and nothing to tell them apart, `several_open` is the member's answer.
    """
    row: DiscussionRow | None = None
    if discussion_id is not None:
        row = await repo.get_discussion(db, discussion_id)
    elif thread_id is not None:
        row = await repo.discussion_by_thread(db, thread_id)
    if row is None and discussion_id is None:
        open_now = await repo.discussions_in(db, guild_id, ("open",))
        if len(open_now) == 1:
            row = open_now[0]
        elif len(open_now) > 1:
            raise UserFacingError(several_open)
    if row is None or row.guild_id != guild_id or row.state != "open":
        return None
    return row
