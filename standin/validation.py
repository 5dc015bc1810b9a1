"""Checks request bodies against Discord's own OpenAPI description and its documented limits.

The spec is read at run time from the shared checkout (override with MUTUAL_DISCORD_OPENAPI) and
never copied into the project. Each operation's request schema becomes a Draft 2020-12 validator
whose `$ref`s resolve through a `referencing` registry holding the whole spec; validators are
compiled on first use and cached per process, since building one costs far more than using it.
Without the spec the schema half is skipped (said once in the log) and the limit checks still run.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from standin.limits import check_limits

log = logging.getLogger(__name__)

ENV_VAR = "MUTUAL_DISCORD_OPENAPI"
DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "shared" / "discord-api-spec" / "openapi.json"
SPEC_URI = "urn:discord:openapi"
_PARAM = re.compile(r"\{[^}]*\}")
_MAX_PROBLEM = 300


def normalise(path_template: str) -> str:
    """`/channels/{channel_id}/messages` -> `/channels/{}/messages`, so names need not agree."""
    return _PARAM.sub("{}", path_template)


def spec_path() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_SPEC)


class _Spec:
    """One loaded spec: its path index, its registry and the validators compiled so far."""

    def __init__(self, document: dict[str, Any]) -> None:
        _accept_integer_snowflakes(document)
        self.document = document
        self.registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self.paths = {normalise(p): p for p in document.get("paths", {})}
        self.validators: dict[tuple[str, str], Draft202012Validator | None] = {}

    def validator(self, method: str, template: str) -> Draft202012Validator | None:
        key = (method.lower(), template)
        if key not in self.validators:
            self.validators[key] = self._compile(*key)
        return self.validators[key]

    def _compile(self, method: str, template: str) -> Draft202012Validator | None:
        raw_path = self.paths.get(template)
        if raw_path is None:
            return None
        operation = self.document["paths"][raw_path].get(method) or {}
        content = (operation.get("requestBody") or {}).get("content") or {}
        if "application/json" not in content:
            return None
        pointer = "/".join(
            _escape(part)
            for part in ("paths", raw_path, method, "requestBody", "content", "application/json")
        )
        schema = {"$ref": f"{SPEC_URI}#/{pointer}/schema"}
        return Draft202012Validator(schema, registry=self.registry)


def _accept_integer_snowflakes(document: dict[str, Any]) -> None:
    """Let snowflakes be integers as well as strings.

    The spec types ids as strings, but Discord accepts integers and discord.py sends some that
    way (a DM's `recipient_id`, `allowed_mentions.users`); flagging those would be noise.
    """
    schemas = document.get("components", {}).get("schemas", {})
    snowflake = schemas.get("SnowflakeType")
    if snowflake is not None:
        schemas["SnowflakeType"] = {"anyOf": [snowflake, {"type": "integer", "minimum": 0}]}


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


@functools.cache
def _load(path: Path) -> _Spec | None:
    try:
        with path.open(encoding="utf-8") as handle:
            return _Spec(json.load(handle))
    except FileNotFoundError:
        log.warning("Discord OpenAPI spec not found at %s; schema checks skipped", path)
        return None


class BodyValidator:
    """Finds what real Discord would reject in a request body (spec schema plus size limits)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._spec = _load(Path(path) if path else spec_path())

    @property
    def has_spec(self) -> bool:
        return self._spec is not None

    def check(self, method: str, path_template: str, body: Any) -> list[str]:
        """Every problem found; an empty list means Discord would accept the body's shape."""
        return self.limit_problems(method, path_template, body) + self.schema_problems(
            method, path_template, body
        )

    def limit_problems(self, method: str, path_template: str, body: Any) -> list[str]:
        """Breaches of Discord's documented limits (Discord answers these with 400, 50035)."""
        return check_limits(method, normalise(path_template), body)

    def schema_problems(self, method: str, path_template: str, body: Any) -> list[str]:
        """Disagreements with the OpenAPI request schema for this route and method."""
        if self._spec is None or body is None:
            return []
        validator = self._spec.validator(method, normalise(path_template))
        if validator is None:
            return []
        problems = []
        for error in validator.iter_errors(body):
            where = "/".join(str(p) for p in error.absolute_path) or "<body>"
            message = error.message
            if len(message) > _MAX_PROBLEM:
                message = message[:_MAX_PROBLEM] + "…"
            problems.append(f"{where}: {message} (schema)")
        return problems
