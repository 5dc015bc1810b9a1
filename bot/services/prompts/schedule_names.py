"""A schedule's name, and which of a server's schedules a command means.

A name is typed as words and stored as one (`Weekend posts` is `weekend-posts`). A command may
leave the name out, and then means the server's first schedule, so a server with one schedule
never has to name it; an unknown name is refused with the names there are, so a moderator never
changes a schedule they did not mean.
"""

from __future__ import annotations

import re

from bot.db import prompts as repo
from bot.i18n import _
from bot.services.prompts.model import PromptInputError

DEFAULT_SCHEDULE = repo.DEFAULT_NAME
NAME_MAX = 32
_NAME = re.compile(r"^[\w-]{1,32}$")


def schedule_name(text: str) -> str:
    """A schedule's name as typed, made one word: `Weekend posts` becomes `weekend-posts`."""
    name = "-".join(text.strip().lower().split())
    if not _NAME.match(name):
        raise PromptInputError(
            _(
                "A schedule name is one short word of letters, digits or dashes (up to {count} "
                "characters), such as weekdays or weekend."
            ).format(count=NAME_MAX)
        )
    return name


async def find_schedule(
    conn: repo.Conn, guild_id: int, name: str | None
) -> repo.ScheduleRow | None:
    """The named schedule (an unknown name is refused, naming the ones there are), or the
    server's first when none is named: a server with one schedule never has to name it."""
    if name is None or not name.strip():
        return await repo.get_schedule(conn, guild_id)
    wanted = "-".join(name.strip().lower().split())
    schedule = await repo.get_schedule(conn, guild_id, wanted)
    if schedule is None:
        known = [s.name for s in await repo.list_schedules(conn, guild_id)]
        if not known:
            return None
        raise PromptInputError(
            _("There is no schedule called “{name}” here. This server has: {names}.").format(
                name=name.strip()[:NAME_MAX], names=", ".join(known)
            )
        )
    return schedule
