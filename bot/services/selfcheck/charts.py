"""Tiny text charts that read well in an embed on any device, without images."""

from __future__ import annotations

from collections.abc import Sequence

SPARKS = "▁▂▃▄▅▆▇█"
BAR_FULL, BAR_EMPTY = "▰", "▱"


def level_bar(percent: int | None, width: int = 5) -> str:
    if percent is None:
        return BAR_EMPTY * width
    filled = max(0, min(width, int(percent * width / 100 + 0.5)))
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def band_bar(percent: int, bounds: Sequence[int]) -> str:
    """Two segments per band, so the bar can never disagree with the band named beside it: a
    reading in the second of three bands fills three or four of six segments, never two."""
    lower = -1
    for index, upper in enumerate(bounds):
        if percent <= upper or index == len(bounds) - 1:
            upper_half = percent > (lower + upper) / 2
            filled = 2 * index + (2 if upper_half else 1)
            return BAR_FULL * filled + BAR_EMPTY * (2 * len(bounds) - filled)
        lower = upper
    return BAR_EMPTY * (2 * len(bounds))  # pragma: no cover - bounds is never empty


def sparkline(values: Sequence[int | None]) -> str:
    """One character per value (0-100); a gap where a dimension was skipped."""
    out = []
    for value in values:
        if value is None:
            out.append("·")
        else:
            out.append(SPARKS[max(0, min(len(SPARKS) - 1, value * len(SPARKS) // 101))])
    return "".join(out)
