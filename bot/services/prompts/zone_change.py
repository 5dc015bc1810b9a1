"""A schedule moved to another time zone: its recent posts dated again in the new zone's calendar.

A post is keyed by its local date, and the next one must fall on a later date. Carried over
unchanged, the old zone's dates would make a zone to the west skip its next day (a late-evening
post in Berlin is already "tomorrow" there) and a zone to the east post twice on one of its days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import Storage, prompt_posts
from bot.services.prompts.rows import from_ts, to_ts

# Posts older than this can no longer share a local day with the next one, whatever the zone.
REDATE_WINDOW = timedelta(days=3)


async def redate_recent_posts(
    db: Storage, now: datetime, guild_id: int, name: str, tz: ZoneInfo
) -> None:
    """Date the last few posts as the new zone's calendar sees them.

    Claims still being sent keep their date, so their nonce holds.
    """
    since = now - REDATE_WINDOW
    async with db.transaction() as tx:
        moves = [
            (stored, from_ts(due).astimezone(tz).date().isoformat())
            for stored, due, status in await prompt_posts.posts_since(
                tx, guild_id, name, to_ts(since)
            )
            if status != "claimed"
        ]
        moves = [(old, new) for old, new in moves if old != new]
        if moves and moves[0][1] > moves[0][0]:
            moves.reverse()  # eastward: move the latest first so no date is taken twice
        await prompt_posts.redate_posts(tx, guild_id, name, moves)
