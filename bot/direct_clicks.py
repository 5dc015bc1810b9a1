"""Buttons answered straight from their custom id, and sent as plain component rows.

For a click on a dynamic item, discord.py rebuilds every component of the clicked message as a
view (`View.from_message`), finds the clicked button in it, builds the dynamic item around it,
swaps it in and only then runs the callback; and every view sent is built item by item (each
button's component, the row weights) and handed to the view store. For a button whose answer
depends on nothing but its custom id and the interaction (a self-check's, whose whole session is
in the id) none of that is needed, and on a message of eight buttons it is most of what a click
costs the bot beyond the answer itself. So:

- a route (`DirectClicks.add`) matches a button's custom id and runs its handler in a task of
  its own, as discord.py runs a callback; it is tried before discord.py's view store, and a
  click no route owns goes on as before (to a view, a dynamic item or `bot.unrouted`);
- `ButtonRows` is what such buttons are sent as: a view that only renders its rows of buttons,
  which discord.py neither stores nor times out, since nothing in it is dispatched by discord.py.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple

import discord

log = logging.getLogger(__name__)

Handler = Callable[[discord.Interaction[Any], re.Match[str]], Awaitable[None]]
BUTTON = discord.ComponentType.button.value
_MARK = "_mutual_direct_clicks"


class DirectClicks:
    """Custom id patterns -> handlers, for the clicks answered without discord.py's views."""

    def __init__(self) -> None:
        self._routes: dict[str, tuple[re.Pattern[str], Handler]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def add(self, template: str, handler: Handler) -> None:
        """Answer buttons whose whole custom id matches `template` with `handler`."""
        self._routes[template] = (re.compile(template), handler)

    def remove(self, template: str) -> None:
        self._routes.pop(template, None)

    def dispatch(self, component_type: int, custom_id: str, interaction: Any) -> bool:
        """Start the handler of the route owning this click; False when no route owns it."""
        if component_type != BUTTON:
            return False
        for pattern, handler in self._routes.values():
            match = pattern.fullmatch(custom_id)
            if match is not None:
                task = asyncio.create_task(_answer(handler, interaction, match))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                return True
        return False


async def _answer(
    handler: Handler, interaction: discord.Interaction[Any], match: re.Match[str]
) -> None:
    try:
        await handler(interaction, match)
    except Exception:
        # Handlers answer their own errors; this is a bug in that answer. Which button, never
        # the rest of its custom id (it carries a member's state).
        log.exception("A direct click handler failed (%s)", match.re.pattern.split(":", 1)[0])


def route_direct_clicks(client: discord.Client, routes: DirectClicks) -> None:
    """Put `routes` in front of the client's view store (once)."""
    store = client._connection._view_store
    if getattr(store, _MARK, False):
        return
    original: Callable[[int, str, discord.Interaction[Any]], None] = store.dispatch_view

    def dispatch_view(
        component_type: int, custom_id: str, interaction: discord.Interaction[Any]
    ) -> None:
        if not routes.dispatch(component_type, custom_id, interaction):
            original(component_type, custom_id, interaction)

    store.dispatch_view = dispatch_view  # type: ignore[method-assign]
    setattr(store, _MARK, True)


class Button(NamedTuple):
    """One button as Discord receives it (a tuple: a screen builds up to eight per click)."""

    label: str
    custom_id: str
    style: discord.ButtonStyle = discord.ButtonStyle.secondary
    disabled: bool = False

    def to_dict(self) -> dict[str, Any]:
        # The keys and order discord.py's own button component gives.
        return {
            "type": BUTTON,
            "style": self.style.value,
            "disabled": self.disabled,
            "label": self.label,
            "custom_id": self.custom_id,
        }


class ButtonRows(discord.ui.View):
    """Rows of buttons answered by `DirectClicks` routes, passed where discord.py takes a view.

    It has no items: discord.py only asks it for its components. It reports itself finished
    and not dispatchable, so discord.py never stores it in its view store nor starts the
    15-minute timeout it gives an ephemeral message's view; a click on one of its buttons is
    answered by its route, from the custom id, whether the message is a second or a week old.
    """

    def __init__(self, rows: Sequence[Sequence[Button]]) -> None:
        # Not View.__init__: it prepares what a dispatched view needs (a random id, a future for
        # its end, row weights, its items), none of which a view that is only rendered uses,
        # and it cost more than rendering the rows. What discord.py reads is overridden below.
        self._children = []
        self.rows = tuple(tuple(row) for row in rows if row)
        if len(self.rows) > 5 or any(len(row) > 5 for row in self.rows):
            raise ValueError("Discord allows five rows of five buttons")

    @property
    def timeout(self) -> float | None:
        return None

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        """Never timed out: nothing in it waits for a click."""

    def to_components(self) -> list[dict[str, Any]]:
        return [{"type": 1, "components": [b.to_dict() for b in row]} for row in self.rows]

    def is_finished(self) -> bool:
        return True

    def is_dispatchable(self) -> bool:
        return False

    def has_components_v2(self) -> bool:
        return False
