"""The prompt records the prompts feature reads as they are stored: schedules, posts, the role
to ping and the suggestions waiting for review.

Cogs reach storage only through services; these reads and writes need no logic of their own.
"""

from __future__ import annotations

from bot.db.prompt_library import pending_count
from bot.db.prompt_pings import ping_role, set_ping_role
from bot.db.prompt_posts import get_post, prune_posts, recent_sent_posts
from bot.db.prompts import get_schedule

__all__ = [
    "get_post",
    "get_schedule",
    "pending_count",
    "ping_role",
    "prune_posts",
    "recent_sent_posts",
    "set_ping_role",
]
