"""One server's state for /status: everything that answers "why didn't today's prompt go out?"."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import Storage
from bot.db import prompts as prompts_repo
from bot.db.overview import Waiting, waiting_in
from bot.db.overview import configured_channels as configured_channels


@dataclass(frozen=True)
class ServerStatus:
    schedule: prompts_repo.ScheduleRow | None
    last_post: prompts_repo.PostRow | None
    waiting: Waiting


async def server_status(db: Storage, guild_id: int) -> ServerStatus:
    return ServerStatus(
        schedule=await prompts_repo.get_schedule(db, guild_id),
        last_post=await prompts_repo.last_post(db, guild_id),
        waiting=await waiting_in(db, guild_id),
    )
