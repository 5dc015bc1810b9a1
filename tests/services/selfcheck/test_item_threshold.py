"""The per-item safety threshold added to the content format for self-checks."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import validate_content


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    return target


def test_threshold_is_only_for_safety_items_and_within_the_scale(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "selfchecks" / "give-and-take.toml"
    text = path.read_text(encoding="utf-8")
    first = 'id = "i-lean-1"\ndimension = "i-lean"\n'
    assert first in text
    path.write_text(text.replace(first, first + "safety_threshold = 9\n"), encoding="utf-8")
    _, problems = validate_content(root)
    rendered = {str(p) for p in problems}
    assert (
        "selfchecks/give-and-take.toml: item[0].safety_threshold: must be between 1 and 4, got 9"
        in rendered
    )
    assert (
        "selfchecks/give-and-take.toml: item[0].safety_threshold: only applies to safety = true items"
        in rendered
    )


def test_items_without_their_own_threshold_use_the_instruments(tmp_path: Path) -> None:
    content, problems = validate_content(_copy(tmp_path))
    assert problems == []
    healthy = content.instruments["healthy-dependence"]
    unsafe = next(item for item in healthy.items if item.safety)
    assert unsafe.safety_threshold is None
    assert healthy.safety_threshold_for(unsafe) == healthy.safety_threshold == 3
