"""One server's state for /status: everything that answers "why didn't today's prompt go out?"."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import Storage, prompt_posts
from bot.db import prompts as prompts_repo
from bot.db.overview import Waiting, waiting_in
from bot.db.overview import configured_channels as configured_channels
from bot.db.prompt_posts import PostRow as PostRow
from bot.db.prompts import ScheduleRow as ScheduleRow


@dataclass(frozen=True)
class ScheduleStatus:
    schedule: prompts_repo.ScheduleRow
    last_post: prompt_posts.PostRow | None


@dataclass(frozen=True)
class ServerStatus:
    schedules: list[ScheduleStatus]
    """Every prompt schedule of the server, oldest first, each with its latest post."""
    waiting: Waiting


async def server_status(db: Storage, guild_id: int) -> ServerStatus:
    schedules = [
        ScheduleStatus(s, await prompt_posts.last_post(db, guild_id, s.name))
        for s in await prompts_repo.list_schedules(db, guild_id)
    ]
    return ServerStatus(schedules=schedules, waiting=await waiting_in(db, guild_id))
