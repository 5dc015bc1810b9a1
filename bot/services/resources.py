"""Where to turn for help: the server's own lines first, then the built-in international ones."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import Content, Resource
from bot.db import Database
from bot.db.settings import get_settings


@dataclass(frozen=True)
class ResourceList:
    server_text: str | None
    defaults: tuple[Resource, ...]
    notice: str


async def resources_for(db: Database, content: Content, guild_id: int | None) -> ResourceList:
    server_text = None
    if guild_id is not None:
        server_text = (await get_settings(db, guild_id)).resources_text
    return ResourceList(
        server_text=server_text or None,
        defaults=content.resources.items,
        notice=content.resources.notice,
    )
