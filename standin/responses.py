"""Responses shaped like Discord's, down to the exact Content-Type discord.py checks.

discord.py only decodes a body as JSON when the header is exactly "application/json"; aiohttp's
`json_response` appends a charset, which would make every answer a string to the client.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

UNKNOWN_CHANNEL = (404, "Unknown Channel", 10003)
UNKNOWN_MESSAGE = (404, "Unknown Message", 10008)
UNKNOWN_WEBHOOK = (404, "Unknown Webhook", 10015)
UNKNOWN_INTERACTION = (404, "Unknown interaction", 10062)
UNKNOWN_GUILD = (404, "Unknown Guild", 10004)
UNKNOWN_MEMBER = (404, "Unknown Member", 10007)
UNKNOWN_USER = (404, "Unknown User", 10013)
UNKNOWN_COMMAND = (404, "Unknown application command", 10063)
MISSING_PERMISSIONS = (403, "Missing Permissions", 50013)
MISSING_ACCESS = (403, "Missing Access", 50001)
UNAUTHORIZED = (401, "401: Unauthorized", 0)
INVALID_WEBHOOK_TOKEN = (401, "Invalid Webhook Token", 50027)
EMPTY_MESSAGE = (400, "Cannot send an empty message", 50006)
NON_TEXT_CHANNEL = (400, "Cannot send messages in a non-text channel", 50008)
ALREADY_ACKNOWLEDGED = (400, "Interaction has already been acknowledged.", 40060)
THREAD_LOCKED = (400, "Thread is locked", 160005)
THREAD_EXISTS = (400, "A thread has already been created for this message", 160004)
INVALID_JSON = (400, "The request body contains invalid JSON.", 50109)
NOT_FOUND = (404, "404: Not Found", 0)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON answer with `Content-Type: application/json` and nothing appended."""
    return web.Response(
        body=json.dumps(data, separators=(",", ":")).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def no_content() -> web.Response:
    return web.Response(status=204)


class DiscordError(Exception):
    """Raised by handlers to answer with one of Discord's JSON errors."""

    def __init__(self, error: tuple[int, str, int], errors: dict[str, Any] | None = None) -> None:
        super().__init__(error[1])
        self.status, self.message, self.code = error
        self.errors = errors

    def response(self) -> web.Response:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return json_response(body, self.status)


def form_errors(problems: list[str]) -> dict[str, Any]:
    """Discord's nested "Invalid Form Body" errors from "path/to/field: message" problems."""
    tree: dict[str, Any] = {}
    for problem in problems:
        where, _, message = problem.partition(": ")
        node = tree
        for part in where.split("/"):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": "BASE_TYPE_INVALID", "message": message})
    return tree


def invalid_form_body(problems: list[str]) -> DiscordError:
    return DiscordError((400, "Invalid Form Body", 50035), form_errors(problems))
