"""Daily reflection prompts: one a day per server, on local time, exactly once."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import MutualBot


async def setup(bot: MutualBot) -> None:
    from cogs.prompts._cog import Prompts
    from cogs.prompts._feature import PromptsFeature

    feature = PromptsFeature.build(bot)
    bot.provide(PromptsFeature, feature)
    bot.dispatcher.add_source(feature.source)
    bot.dispatcher.add_housekeeping("prompt-posts", feature.prune, timedelta(hours=24))
    await bot.add_cog(Prompts(bot))
