"""Small PNG charts for people who would rather look than read: lines of a member's saved results
and bars of a server's weekly check counts.

Drawn with Pillow's primitives only: no fonts, so nothing to ship or to fail on a server without
them; six panels render in about 25 ms and weigh about 40 kB. The image carries no words: the
figures go in the attachment's description (alt text) and in the embed beside it, in the
reader's language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import pairwise

from PIL import Image, ImageDraw

# Colour-blind-safe (Okabe-Ito), in the order of the dimensions or instruments listed beside it.
PALETTE = (
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (240, 228, 66),
)
BACKGROUND = (255, 255, 255)
GRID = (225, 225, 225)
QUIET = (200, 200, 200)
WIDTH = 480
PANEL = 120
MARGIN = 12
MAX_PANELS = 6


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _canvas(panels: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    height = MARGIN + panels * (PANEL + MARGIN)
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    return image, ImageDraw.Draw(image)


def _box(index: int) -> tuple[int, int, int, int]:
    top = MARGIN + index * (PANEL + MARGIN)
    return MARGIN, top, WIDTH - MARGIN, top + PANEL


def _grid(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    left, top, right, bottom = box
    for fraction in (0.0, 0.5, 1.0):
        y = bottom - round(fraction * (bottom - top))
        draw.line([(left, y), (right, y)], fill=GRID, width=1)


def trend_lines(panels: Sequence[Sequence[Sequence[int | None]]]) -> bytes:
    """One panel per instrument, one line per dimension: values 0-100, oldest left; a skipped
    dimension leaves a gap in its line."""
    shown = list(panels)[:MAX_PANELS] or [[]]
    image, draw = _canvas(len(shown))
    for index, dimensions in enumerate(shown):
        box = _grid_box(draw, index)
        left, top, right, bottom = box
        for number, values in enumerate(dimensions):
            colour = PALETTE[number % len(PALETTE)]
            steps = max(1, len(values) - 1)
            points: list[tuple[int, int] | None] = [
                None
                if value is None
                else (
                    left + round(position * (right - left) / steps),
                    bottom - round(max(0, min(100, value)) * (bottom - top) / 100),
                )
                for position, value in enumerate(values)
            ]
            for start, end in pairwise(points):
                if start is not None and end is not None:
                    draw.line([start, end], fill=colour, width=3)
            for point in points:
                if point is not None:
                    x, y = point
                    draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=colour)
    return _png(image)


def weekly_bars(panels: Sequence[Sequence[int | None]]) -> bytes:
    """One panel per instrument, one bar per week, oldest left; a week too small to show (None)
    is an empty outline, so it reads as "not shown" rather than as zero."""
    shown = list(panels)[:MAX_PANELS] or [[]]
    image, draw = _canvas(len(shown))
    highest = max([count for weeks in shown for count in weeks if count] or [1])
    for index, weeks in enumerate(shown):
        left, top, right, bottom = _grid_box(draw, index)
        colour = PALETTE[index % len(PALETTE)]
        slot = (right - left) / max(1, len(weeks))
        for position, count in enumerate(weeks):
            x0 = left + round(position * slot + slot * 0.15)
            x1 = left + round((position + 1) * slot - slot * 0.15)
            if count is None:
                draw.rectangle([x0, bottom - 8, x1, bottom], outline=QUIET, width=1)
                continue
            height = round(count * (bottom - top) / highest)
            draw.rectangle([x0, bottom - height, x1, bottom], fill=colour)
    return _png(image)


def _grid_box(draw: ImageDraw.ImageDraw, index: int) -> tuple[int, int, int, int]:
    box = _box(index)
    _grid(draw, box)
    return box
