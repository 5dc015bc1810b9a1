"""What every command starts with: the settings (or one line on what is wrong with them)."""

from __future__ import annotations

import sys

from bot.config import ConfigError, Settings, load_settings

NO_TOKEN = """\
Mutual needs a Discord bot token to connect.

  1. Create an application and bot at https://discord.com/developers/applications
  2. Put the token in a file named .env next to README.md:   DISCORD_TOKEN=your-token
     (or export DISCORD_TOKEN in the environment)

To try Mutual without Discord, run the local sandbox instead:

  python -m bot sandbox
"""


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def point_at_api(settings: Settings) -> None:
    if settings.api_base:
        from bot.api_base import point_discord_at

        point_discord_at(settings.api_base)
