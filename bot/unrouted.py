"""Answer every click that no button of Mutual's owns, instead of leaving it unanswered.

discord.py routes a component interaction to a persistent view or a dynamic item by its custom
id and silently drops one that matches neither: a button from a message whose view has timed
out, one from a feature that was removed, or a custom id crafted by hand. Discord then shows the
member "This interaction failed". Wrapping the view store's dispatch lets Mutual decide, before
anything runs and so without a race with the real handler, that nobody will answer, and answer
kindly itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.i18n import N_, _

log = logging.getLogger(__name__)

STALE = N_(
    "This button belongs to a message Mutual no longer follows, so nothing happened and nothing "
    "was changed. Run the command again for a fresh one."
)
_MARK = "_mutual_answers_unrouted"


def _routed(store: Any, component_type: int, custom_id: str, message_id: int | None) -> bool:
    if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        return True
    key = (component_type, custom_id)
    views = store._views
    return (message_id is not None and key in views.get(message_id, {})) or key in views.get(
        None, {}
    )


async def answer_unrouted(interaction: discord.Interaction[Any]) -> None:
    try:
        await interaction.response.send_message(_(STALE), ephemeral=True)
    except discord.HTTPException:
        log.info("Could not answer an unrouted click (the interaction had expired)")


def answer_unrouted_clicks(client: discord.Client) -> None:
    """Wrap the client's view store once; clicks that a view or dynamic item owns pass through."""
    store = client._connection._view_store
    if getattr(store, _MARK, False):
        return
    original: Callable[[int, str, discord.Interaction[Any]], None] = store.dispatch_view
    tasks: set[asyncio.Task[None]] = set()

    def dispatch_view(
        component_type: int, custom_id: str, interaction: discord.Interaction[Any]
    ) -> None:
        message_id = interaction.message.id if interaction.message is not None else None
        if _routed(store, component_type, custom_id, message_id):
            original(component_type, custom_id, interaction)
            return
        log.debug("A click matched no button of Mutual's; answering it as stale")
        task = asyncio.create_task(answer_unrouted(interaction))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    store.dispatch_view = dispatch_view  # type: ignore[method-assign]
    setattr(store, _MARK, True)
