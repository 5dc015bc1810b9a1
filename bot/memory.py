"""The garbage collector in a long-running bot.

A full collection walks every object the collector tracks. After start-up that is some 75,000
objects that live as long as the process (imported modules, the loaded content, the command
tree), so each full collection held the event loop for 30-60 ms on a small machine, whenever
enough short-lived objects had piled up to trigger one: a member's command that happened to
trigger it waited that long. Frozen once start-up is done, they are left out of every later
collection, which then walks only what the bot made since.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Collect what start-up left as garbage, then freeze everything still alive (once, after
    `setup_hook`; objects frozen are never collected, so this is not for repeated use)."""
    gc.collect()
    gc.freeze()
