import shutil
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import ContentError, load_content, validate_content
from bot.content.loader import default_seeds_dir, normalise

SEEDS = default_seeds_dir(DEFAULT_CONTENT_DIR)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    return target


def test_shipped_content_is_valid() -> None:
    content, problems = validate_content(DEFAULT_CONTENT_DIR, seeds_dir=SEEDS)
    assert problems == []
    assert len(content.instruments) >= 3
    assert len(content.prompts) >= 90
    assert len(content.excerpts) >= 40
    assert content.resources.notice


def test_a_broken_toml_file_is_named(content_copy: Path) -> None:
    (content_copy / "prompts" / "broken.toml").write_text('[[prompt]]\nid = "x\n', encoding="utf-8")
    _, problems = validate_content(content_copy)
    assert [str(p.file) for p in problems] == ["prompts/broken.toml"]
    assert "not valid TOML" in problems[0].problem


def test_missing_field_and_duplicate_id_are_named(content_copy: Path) -> None:
    (content_copy / "prompts" / "zz-extra.toml").write_text(
        '[[prompt]]\nid = "trust-001"\ntopic = "trust"\ntext = "Again"\n'
        '[[prompt]]\nid = "new-one"\ntopic = "nope"\n',
        encoding="utf-8",
    )
    _, problems = validate_content(content_copy)
    rendered = {str(p) for p in problems}
    assert any(
        r.startswith("prompts/zz-extra.toml: prompt[0].id: duplicate prompt id") for r in rendered
    )
    assert "prompts/zz-extra.toml: prompt[1].text: is required" in rendered
    assert any(
        r.startswith("prompts/zz-extra.toml: prompt[1].topic: unknown topic") for r in rendered
    )


def test_overlong_excerpt_and_unknown_source_are_rejected(content_copy: Path) -> None:
    (content_copy / "excerpts" / "bad.toml").write_text(
        '[[excerpt]]\nid = "bad-1"\nsource = "nowhere"\ntopics = ["trust"]\n'
        f'text = "{" ".join(["word"] * 81)}"\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    rendered = {str(p) for p in caught.value.problems}
    assert "excerpts/bad.toml: excerpt[0].text: has 81 words; the limit is 80" in rendered
    assert "excerpts/bad.toml: excerpt[0].source: unknown source 'nowhere'" in rendered


def test_normalise_folds_quotes_and_spaces() -> None:
    assert normalise("It’s  “fine”\n now") == 'It\'s "fine" now'
