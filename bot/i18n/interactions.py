"""The member's locale for everything an interaction starts.

discord.py parses each INTERACTION_CREATE in the gateway's task and starts the command, button or
form handler in a task of its own; a task copies the context variables of the moment it is
created. Setting the locale just before the parse therefore gives every handler of that
interaction its member's language, without any handler having to remember to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from bot.i18n.catalogs import set_locale

_MARK = "_mutual_interaction_locale"


def follow_interaction_locale(client: discord.Client) -> None:
    state = client._connection
    parsers: dict[str, Callable[[Any], None]] = state.parsers
    original = parsers["INTERACTION_CREATE"]
    if getattr(original, _MARK, False):
        return

    def parse(data: Any) -> None:
        set_locale(data.get("locale") if isinstance(data, dict) else None)
        original(data)

    setattr(parse, _MARK, True)
    parsers["INTERACTION_CREATE"] = parse
