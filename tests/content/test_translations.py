"""Content in other languages: ids from English, only the words translated, English where a text
is missing (listed by check-content), and a problem for anything that does not match."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import validate_content


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target, ignore=shutil.ignore_patterns("locales"))
    (target / "locales" / "es-ES" / "prompts").mkdir(parents=True)
    return target


def _write(root: Path, name: str, text: str) -> None:
    (root / "locales" / "es-ES" / name).write_text(text, encoding="utf-8")


def test_a_translated_text_replaces_the_english_and_the_rest_stays_english(root: Path) -> None:
    _write(
        root,
        "safety.toml",
        '[[kind]]\nid = "self-harm"\ntitle = "Importas, y hay ayuda ahora mismo"\n',
    )
    content, problems = validate_content(root)
    assert problems == []
    spanish = content.for_locale("es-ES")
    assert spanish.safety["self-harm"].title == "Importas, y hay ayuda ahora mismo"
    assert spanish.safety["self-harm"].now == content.safety["self-harm"].now  # English, not ""
    assert spanish.safety["self-harm"].threshold == content.safety["self-harm"].threshold
    missing = content.missing_translations["es-ES"]
    assert "safety.toml: self-harm.now" in missing
    assert any(entry.startswith("prompts") for entry in missing)


def test_locales_match_exactly_then_by_language_then_fall_back_to_english(root: Path) -> None:
    content, _ = validate_content(root)
    assert content.for_locale("es-ES") is content.localised["es-ES"]
    assert content.for_locale("es-419") is content.localised["es-ES"]
    assert content.for_locale("ja") is content
    assert content.for_locale(None) is content


def test_an_id_english_does_not_have_is_a_problem(root: Path) -> None:
    _write(root, "notes.toml", '[[note]]\nid = "gore"\nlabel = "violencia"\n')
    problems = {str(p) for p in validate_content(root)[1]}
    assert "locales/es-ES/notes.toml: note[0].id: 'gore' is not an id of the English content" in (
        problems
    )


def test_a_translated_text_keeps_the_english_limits_and_rules(root: Path) -> None:
    long = "x" * 201
    _write(root, "notes.toml", f'[[note]]\nid = "abuse"\nlabel = "{long}"\n')
    english = next(iter(sorted((DEFAULT_CONTENT_DIR / "prompts").glob("*.toml"))))
    _write(
        root,
        f"prompts/{english.name}",
        '[[prompt]]\nid = "trust-001"\ntext = "¿Qué síntomas de tu trastorno notas?"\n',
    )
    problems = {str(p) for p in validate_content(root)[1]}
    assert any("abuse.label: is 201 characters; the limit is 60" in p for p in problems)
    assert any("uses diagnostic language ('síntomas')" in p for p in problems)


def test_every_shipped_language_is_complete() -> None:
    content, problems = validate_content(DEFAULT_CONTENT_DIR)
    assert problems == []
    assert set(content.localised) == {"es-ES", "pt-BR", "fr", "de"}
    for locale, missing in content.missing_translations.items():
        assert missing == (), f"{locale} lacks {missing[:5]}"
    spanish = content.for_locale("es-ES")
    for code, country in content.resources.countries.items():
        for english, translated in zip(
            country.lines, spanish.resources.countries[code].lines, strict=True
        ):
            assert (translated.name, translated.url, translated.source) == (
                english.name,
                english.url,
                english.source,
            )
