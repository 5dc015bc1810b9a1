"""/learn: article excerpts by topic, by search or at random, shareable in the channel."""

from __future__ import annotations

from bot.app import MutualBot
from cogs.learn._buttons import PageButton, ShareButton
from cogs.learn._commands import Learn


async def setup(bot: MutualBot) -> None:
    bot.add_dynamic_items(PageButton, ShareButton)
    await bot.add_cog(Learn(bot.excerpts, bot.db))
