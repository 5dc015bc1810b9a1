"""Chart images for the ephemeral history and insights replies, with the figures as alt text
(the attachment's description), so a screen reader hears what the picture shows."""

from __future__ import annotations

import io

import discord

from bot.i18n import _
from bot.services.selfcheck import InstrumentInsight, Trend
from bot.services.selfcheck.images import MAX_PANELS, trend_lines, weekly_bars

ALT_TEXT_LIMIT = 1024  # Discord's limit for an attachment description
HISTORY_FILE = "selfcheck-history.png"
INSIGHTS_FILE = "selfcheck-insights.png"


def _clip(text: str) -> str:
    return text if len(text) <= ALT_TEXT_LIMIT else text[: ALT_TEXT_LIMIT - 1] + "…"


def _figure(value: int | None) -> str:
    return "–" if value is None else str(value)


def history_chart(trends: list[Trend]) -> discord.File | None:
    if not trends:
        return None
    shown = trends[:MAX_PANELS]
    png = trend_lines([[dim.values for dim in trend.dimensions] for trend in shown])
    parts = [_("Chart of your saved self-check results, oldest first, each from 0 to 100.")]
    for trend in shown:
        lines = "; ".join(
            _("{name}: {values}").format(
                name=dim.name, values=", ".join(_figure(v) for v in dim.values)
            )
            for dim in trend.dimensions
        )
        parts.append(_("{title}: {lines}.").format(title=trend.title, lines=lines))
    return discord.File(io.BytesIO(png), filename=HISTORY_FILE, description=_clip(" ".join(parts)))


def insights_chart(insights: list[InstrumentInsight]) -> discord.File | None:
    if not insights:
        return None
    shown = insights[:MAX_PANELS]
    # The embed lists weeks newest first; a chart reads left to right, oldest first.
    png = weekly_bars([[cell.completions for cell in reversed(i.weeks)] for i in shown])
    parts = [
        _(
            "Chart of completed self-checks per week, oldest first; weeks with too few checks "
            "to show are empty outlines."
        )
    ]
    for insight in shown:
        weeks = ", ".join(
            _("{week}: {count}").format(
                week=cell.label,
                count=_("not shown") if cell.completions is None else cell.completions,
            )
            for cell in reversed(insight.weeks)
        )
        parts.append(_("{title}: {weeks}.").format(title=insight.title, weeks=weeks))
    return discord.File(io.BytesIO(png), filename=INSIGHTS_FILE, description=_clip(" ".join(parts)))
