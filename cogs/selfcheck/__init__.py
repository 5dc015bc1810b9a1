"""Anonymous self-checks: private questionnaires, opt-in history and anonymous server counts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import MutualBot


async def setup(bot: MutualBot) -> None:
    from cogs.selfcheck._cog import SelfCheck
    from cogs.selfcheck._feature import SelfCheckFeature
    from cogs.selfcheck._flow import ROUTES
    from cogs.selfcheck._history import HistoryButton

    feature = SelfCheckFeature.build(bot)
    bot.selfcheck = feature
    bot.personal_data.register(feature.history)
    bot.dispatcher.add_housekeeping("selfcheck-counted", feature.prune_counted, timedelta(hours=24))
    # Registered here so buttons on messages sent before a restart keep working.
    for template, handler in ROUTES:
        bot.direct_clicks.add(template, handler)
    bot.add_dynamic_items(HistoryButton)
    await bot.add_cog(SelfCheck(bot))
