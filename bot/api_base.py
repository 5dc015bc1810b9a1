"""Pointing an unmodified discord.py at the stand-in.

discord.py builds every REST URL from `Route.BASE` and connects the gateway to
`DiscordWebSocket.DEFAULT_GATEWAY` (later to READY's `resume_gateway_url`, which the stand-in
sets to itself). Both are class attributes, so this is process-wide: `restore_discord` puts the
real addresses back.
"""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl

_REAL_BASE = discord.http.Route.BASE
_REAL_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def point_discord_at(base_url: str) -> None:
    """Send discord.py's REST calls and gateway connection to `base_url` (http://host:port)."""
    base = base_url.rstrip("/")
    discord.http.Route.BASE = f"{base}/api/v10"
    ws = yarl.URL(base).with_scheme("wss" if base.startswith("https") else "ws").with_path("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = ws


def restore_discord() -> None:
    """Point discord.py back at the real Discord."""
    discord.http.Route.BASE = _REAL_BASE
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = _REAL_GATEWAY
