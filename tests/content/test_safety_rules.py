"""check-content's care rules: safety kinds and thresholds, reassuring bands, content notes, help
lines with a source and a date, and no diagnostic language. Each rule is shown to catch a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import validate_content
from bot.content.language import diagnostic_words


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(root: Path) -> set[str]:
    return {str(p) for p in validate_content(root)[1]}


def test_the_shipped_content_passes(root: Path) -> None:
    assert _problems(root) == set()


def test_a_threshold_belongs_to_safety_items_and_may_only_be_lower(root: Path) -> None:
    path = root / "selfchecks" / "give-and-take.toml"
    _edit(path, 'id = "i-lean-1"\n', 'id = "i-lean-1"\nsafety_threshold = 2\n')
    assert (
        "selfchecks/give-and-take.toml: item[0].safety_threshold: only applies to safety items"
        in (_problems(root))
    )
    path = root / "selfchecks" / "codependent-patterns.toml"
    _edit(path, 'safety = "self-harm"\n', 'safety = "self-harm"\nsafety_threshold = 3\n')
    assert any(
        "safety_threshold: may only be lower than the kind's threshold (1)" in p
        for p in _problems(root)
    )


def test_a_safety_item_names_a_known_kind(root: Path) -> None:
    path = root / "selfchecks" / "codependent-patterns.toml"
    _edit(path, 'safety = "self-harm"\n', "safety = true\n")
    assert any("safety: must name a safety kind" in p for p in _problems(root))


def test_the_three_safety_kinds_are_required(root: Path) -> None:
    _edit(root / "safety.toml", 'id = "crisis"', 'id = "other"')
    assert "safety.toml: kind: the safety kind 'crisis' is required" in _problems(root)


def test_a_band_about_safety_must_say_whether_it_reassures(root: Path) -> None:
    path = root / "selfchecks" / "healthy-dependence.toml"
    _edit(path, "reassures = true\n", "")
    assert any(".reassures: the text speaks of safety or security" in p for p in _problems(root))


def test_a_help_line_without_source_or_date_is_refused(root: Path) -> None:
    path = root / "helplines.toml"
    text = path.read_text(encoding="utf-8")
    first_source = text.index("\nsource = ")
    end = text.index("\n", first_source + 1)
    path.write_text(text[:first_source] + text[end:], encoding="utf-8")
    assert any(".source: is required" in p for p in _problems(root))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("last_checked = 2026-12-01\n", "", 1), encoding="utf-8")
    assert any(".last_checked: is required" in p for p in _problems(root))


def test_an_unknown_content_note_is_refused(root: Path) -> None:
    path = root / "excerpts" / "the-holding-space.toml"
    _edit(path, 'content_notes = ["childhood-abuse"', 'content_notes = ["gore"')
    assert any("unknown content note 'gore'" in p for p in _problems(root))


def test_diagnostic_language_is_refused_outside_a_disclaimer(root: Path) -> None:
    path = root / "prompts" / "boundaries-and-balance.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('text = "') + len('text = "')
    path.write_text(
        text[:start] + "Which symptoms of your disorder show up? " + text[start:], encoding="utf-8"
    )
    problems = _problems(root)
    assert any("uses diagnostic language ('symptoms')" in p for p in problems)
    assert any("uses diagnostic language ('disorder')" in p for p in problems)


def test_disclaimers_may_name_what_mutual_is_not() -> None:
    assert diagnostic_words("This is not a test or a diagnosis.") == []
    assert diagnostic_words("It never diagnoses anyone.") == []
    assert diagnostic_words("Your diagnosis is clear.") == ["diagnosis"]
    assert diagnostic_words("You are codependent.") == ["You are codependent"]
