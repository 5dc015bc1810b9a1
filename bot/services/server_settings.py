"""A server's settings as the features read and change them.

The settings rows belong to storage; features reach them through this module, so the cogs
depend on services alone and storage can change behind it.
"""

from __future__ import annotations

from bot.db import Storage
from bot.db.settings import AnonymousMode, GuildSettings, get_settings, update_settings

__all__ = ["AnonymousMode", "GuildSettings", "Storage", "get_settings", "update_settings"]
