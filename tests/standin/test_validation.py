"""Request bodies are measured against Discord's OpenAPI description and documented limits."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from standin.validation import ENV_VAR, BodyValidator

MESSAGES = "/channels/{channel_id}/messages"

TINY_SPEC = {
    "openapi": "3.1.0",
    "paths": {
        "/things/{thing_id}/parts": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Part"}}
                    }
                }
            }
        }
    },
    "components": {
        "schemas": {
            "Part": {
                "type": "object",
                "properties": {"size": {"type": "integer", "maximum": 10}},
                "required": ["size"],
            }
        }
    },
}


@pytest.fixture
def tiny_spec(tmp_path: Path) -> Path:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(TINY_SPEC))
    return path


def test_spec_from_the_environment_with_refs(
    tiny_spec: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tiny_spec))
    validator = BodyValidator()
    assert validator.check("POST", "/things/{id}/parts", {"size": 3}) == []
    [problem] = validator.check("POST", "/things/{x}/parts", {"size": 11})
    assert problem.startswith("size: 11 is greater than the maximum") and problem.endswith(
        "(schema)"
    )
    assert validator.check("POST", "/things/{x}/parts", {}) == [
        "<body>: 'size' is a required property (schema)"
    ]
    assert validator.check("POST", "/elsewhere", {"size": "any"}) == []


def test_missing_spec_is_said_once_and_limits_still_apply(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "nowhere.json"
    with caplog.at_level(logging.WARNING, logger="standin.validation"):
        first, second = BodyValidator(missing), BodyValidator(missing)
    assert not first.has_spec and not second.has_spec
    assert len(caplog.records) == 1
    assert first.check("POST", MESSAGES, {"content": "x" * 2001}) == [
        "content: 2001 > 2000 characters"
    ]


@pytest.mark.parametrize(
    ("route", "body", "expected"),
    [
        (
            MESSAGES,
            {"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]},
            "embeds/0/fields: 26 > 25",
        ),
        (
            MESSAGES,
            {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]},
            "6000 characters",
        ),
        (MESSAGES, {"components": [{"type": 1, "components": []}] * 6}, "components: 6 > 5 items"),
        (
            MESSAGES,
            {
                "components": [
                    {"type": 1, "components": [{"type": 2, "label": "l" * 81, "custom_id": "a"}]}
                ]
            },
            "label: 81 > 80",
        ),
        ("/applications/{a}/commands", [{"name": "Bad Name", "description": "x"}], "0/name"),
        ("/applications/{a}/commands", [{"name": "ok", "description": ""}], "0/description: 0 < 1"),
        (
            "/interactions/{i}/{t}/callback",
            {
                "type": 9,
                "data": {
                    "custom_id": "m",
                    "title": "t" * 46,
                    "components": [{"type": 1, "components": []}],
                },
            },
            "data/title: 46 > 45",
        ),
        (
            "/interactions/{i}/{t}/callback",
            {"type": 8, "data": {"choices": [{"name": "n", "value": "v"}] * 26}},
            "data/choices: 26 > 25",
        ),
    ],
)
def test_documented_limits(route: str, body: object, expected: str, tmp_path: Path) -> None:
    method = "PUT" if route.endswith("/commands") else "POST"
    problems = BodyValidator(tmp_path / "none.json").check(method, route, body)
    assert any(expected in p for p in problems), problems


def test_real_spec_rejects_a_wrong_type() -> None:
    validator = BodyValidator()
    if not validator.has_spec:
        pytest.skip("Discord's OpenAPI spec is not available")
    assert (
        validator.check("POST", MESSAGES, {"content": "hello", "nonce": "n", "enforce_nonce": True})
        == []
    )
    problems = validator.check("POST", MESSAGES, {"content": "hello", "tts": "yes"})
    assert any(p.startswith("tts:") for p in problems), problems
    assert validator.check("POST", "/users/@me/channels", {"recipient_id": 1234567890123}) == []
    assert validator.check("POST", "/users/@me/channels", {"recipient_id": "x"}) != []


def test_the_spec_beside_the_project_is_found() -> None:
    """Where ../shared is present, every request body is checked against Discord's spec: a path
    that no longer points at it would silently turn the check off for the whole suite."""
    shared = Path(__file__).resolve().parents[3] / "shared" / "discord-api-spec" / "openapi.json"
    if not shared.is_file():
        pytest.skip("../shared is not beside this checkout")
    assert BodyValidator().has_spec
