"""Daily reflection prompts: one a day per server, on local time, exactly once."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import MutualBot


async def setup(bot: MutualBot) -> None:
    from cogs.prompts._cog import Prompts
    from cogs.prompts._components import DYNAMIC_ITEMS
    from cogs.prompts._feature import PromptsFeature
    from cogs.prompts._library import PromptSuggest

    feature = PromptsFeature.build(bot)
    bot.prompts = feature
    bot.personal_data.register(feature.library)
    bot.dispatcher.add_source(feature.source)
    bot.dispatcher.add_housekeeping("prompt-posts", feature.prune, timedelta(hours=24))
    # Registered here so buttons on messages sent before a restart keep working.
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Prompts(bot))
    await bot.add_cog(PromptSuggest(bot))
