"""The REST front door: one middleware every API request passes, and the account-level routes.

The middleware does what Discord does before a handler runs (authentication, rate limits, body
validation) and what a test needs afterwards (a log of every request, a recorded failure for
routes the stand-in does not serve, so a missing route is noticed rather than silently 404ed).
Routes for the bot's identity, the gateway address, application info, command sync and guild
reads live here; channel and interaction routes have their own modules.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from standin.responses import (
    INVALID_JSON,
    UNAUTHORIZED,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_USER,
    DiscordError,
    invalid_form_body,
    json_response,
)
from standin.validation import normalise

if TYPE_CHECKING:
    from standin.server import StandIn

API = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_TOKEN_ROUTES = ("/interactions/", "/webhooks/{}/{}")
BODY: web.RequestKey[Any] = web.RequestKey("body", object)
"""The request's JSON body, parsed once by the middleware for every handler."""


@dataclass
class RequestRecord:
    """One request the bot made, as the stand-in saw it."""

    method: str
    path: str
    route: str
    body: Any
    status: int = 0
    # Uploaded files by name, as a test reads an attachment the bot sent.
    files: dict[str, bytes] = field(default_factory=dict)
    # The stand-in's port the request came in on: which process sent it, when each process is
    # given its own address (`StandIn.open_port`).
    port: int = 0


async def read_body(request: web.Request, files: dict[str, bytes] | None = None) -> Any:
    """The JSON body, also from multipart uploads (discord.py puts it in `payload_json`); the
    uploaded files go into `files` when given."""
    if not request.can_read_body:
        return None
    if request.content_type == "multipart/form-data":
        payload = None
        reader = await request.multipart()
        async for part in reader:
            if getattr(part, "name", None) == "payload_json":
                payload = json.loads(await part.text())  # type: ignore[union-attr]
            else:
                data = await part.read()  # type: ignore[union-attr]
                if files is not None:
                    files[str(getattr(part, "filename", None) or getattr(part, "name", ""))] = (
                        bytes(data)
                    )
        return payload
    raw = await request.read()
    return json.loads(raw) if raw else None


def middleware(standin: StandIn) -> Any:
    @web.middleware
    async def api(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API):
            return await handler(request)
        standin.busy(+1)
        try:
            return await _api(standin, request, handler)
        finally:
            standin.busy(-1)

    return api


async def _api(standin: StandIn, request: web.Request, handler: Handler) -> web.StreamResponse:
    method, path = request.method, request.path[len(API) :]
    record = RequestRecord(method, path, "", None)
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    record.port = int(sockname[1]) if sockname else 0
    standin.requests.append(record)
    try:
        record.body = await read_body(request, record.files)
    except ValueError:
        return _finish(record, DiscordError(INVALID_JSON).response())
    unmatched = request.match_info.http_exception
    if unmatched is not None:
        standin.fail("unknown-route", method, path, "the stand-in has no such route", record.body)
        status = 405 if unmatched.status == 405 else 404
        return _finish(
            record, json_response({"message": f"{status}: {unmatched.reason}", "code": 0}, status)
        )
    resource = request.match_info.route.resource
    record.route = normalise(resource.canonical[len(API) :]) if resource else path
    needs_token = not record.route.startswith(_TOKEN_ROUTES) and record.route != "/gateway"
    if needs_token and request.headers.get("Authorization") != f"Bot {standin.token}":
        return _finish(record, DiscordError(UNAUTHORIZED).response())
    verdict = standin.limiter.check(method, record.route, dict(request.match_info))
    if verdict.status != 200:
        return _finish(record, json_response(verdict.body, verdict.status, verdict.headers))
    limits = standin.validator.limit_problems(method, record.route, record.body)
    for problem in limits + standin.validator.schema_problems(method, record.route, record.body):
        standin.fail("validation", method, path, problem, record.body)
    if limits:
        return _finish(record, invalid_form_body(limits).response())
    request[BODY] = record.body
    try:
        response = await handler(request)
    except DiscordError as error:
        response = error.response()
    response.headers.update(verdict.headers)
    return _finish(record, response)


def _finish(record: RequestRecord, response: web.StreamResponse) -> web.StreamResponse:
    record.status = response.status
    return response


class AccountRoutes:
    """Who the bot is, where the gateway is, the application, commands, and guild reads."""

    def __init__(self, standin: StandIn) -> None:
        self.s = standin
        self.world = standin.world

    def routes(self) -> list[web.RouteDef]:
        app = "/applications/{application_id}"
        return [
            web.get(API + "/users/@me", self.me),
            web.get(API + "/users/{user_id}", self.user),
            web.get(API + "/gateway", self.gateway),
            web.get(API + "/gateway/bot", self.gateway_bot),
            web.get(API + "/oauth2/applications/@me", self.application),
            web.get(API + "/applications/@me", self.application),
            web.get(API + app + "/commands", self.list_commands),
            web.put(API + app + "/commands", self.put_commands),
            web.get(API + app + "/guilds/{guild_id}/commands", self.list_commands),
            web.put(API + app + "/guilds/{guild_id}/commands", self.put_commands),
            web.get(API + "/guilds/{guild_id}", self.guild),
            web.get(API + "/guilds/{guild_id}/channels", self.guild_channels),
            web.get(API + "/guilds/{guild_id}/roles", self.guild_roles),
            web.get(API + "/guilds/{guild_id}/members", self.guild_members),
            web.get(API + "/guilds/{guild_id}/members/{user_id}", self.guild_member),
        ]

    async def me(self, request: web.Request) -> web.Response:
        bot = self.world.bot.to_dict()
        return json_response({**bot, "verified": True, "mfa_enabled": False, "email": None})

    async def user(self, request: web.Request) -> web.Response:
        user = self.world.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise DiscordError(UNKNOWN_USER)
        return json_response(user.to_dict())

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.s.ws_url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        gateway = self.s.gateway
        return json_response(
            {
                "url": self.s.ws_url,
                "shards": gateway.recommended_shards(),
                "session_start_limit": gateway.session_start_limit(),
            }
        )

    async def application(self, request: web.Request) -> web.Response:
        """The bot's application; its owner is the first guild's owner ("mod" in the demo)."""
        guild = next(iter(self.world.guilds.values()), None)
        owner = self.world.users[guild.owner_id] if guild else self.world.bot
        return json_response(
            {
                "id": str(self.world.application_id),
                "name": self.world.bot.username,
                "icon": None,
                "description": "",
                "summary": "",
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": owner.to_dict(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "bot": self.world.bot.to_dict(),
                "redirect_uris": [],
                "approximate_guild_count": len(self.world.guilds),
            }
        )

    def _command_list(self, request: web.Request) -> list[dict[str, Any]]:
        if int(request.match_info["application_id"]) != self.world.application_id:
            raise DiscordError((403, "Missing Access", 50001))
        guild_id = request.match_info.get("guild_id")
        if guild_id is None:
            return self.world.global_commands
        if int(guild_id) not in self.world.guilds:
            raise DiscordError(UNKNOWN_GUILD)
        return self.world.guild_commands.setdefault(int(guild_id), [])

    async def list_commands(self, request: web.Request) -> web.Response:
        return json_response(self._command_list(request))

    async def put_commands(self, request: web.Request) -> web.Response:
        """Bulk overwrite: commands keep their id when name and type are unchanged, like Discord."""
        current = self._command_list(request)
        known = {(c["name"], c.get("type", 1)): c["id"] for c in current}
        guild_id = request.match_info.get("guild_id")
        stored = []
        for body in request[BODY] or []:
            kind = body.get("type", 1)
            command = {
                "id": known.get((body["name"], kind)) or str(self.world.ids.next()),
                "application_id": str(self.world.application_id),
                "version": str(self.world.ids.next()),
                "type": kind,
                "description": "",
                "default_member_permissions": None,
                "dm_permission": True,
                "nsfw": False,
                "options": [],
                **body,
            }
            if guild_id is not None:
                command["guild_id"] = guild_id
            stored.append(command)
        current[:] = stored
        return json_response(stored)

    def _guild(self, request: web.Request) -> Any:
        guild = self.world.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise DiscordError(UNKNOWN_GUILD)
        return guild

    async def guild(self, request: web.Request) -> web.Response:
        data = self._guild(request).to_dict()
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            data.pop(key, None)
        return json_response(data)

    async def guild_channels(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        live = [c for c in guild.channels.values() if not c.deleted and not c.is_thread]
        return json_response([c.to_dict() for c in live])

    async def guild_roles(self, request: web.Request) -> web.Response:
        return json_response([r.to_dict() for r in self._guild(request).roles.values()])

    async def guild_members(self, request: web.Request) -> web.Response:
        return json_response([m.to_dict() for m in self._guild(request).members.values()])

    async def guild_member(self, request: web.Request) -> web.Response:
        member = self._guild(request).members.get(int(request.match_info["user_id"]))
        if member is None:
            raise DiscordError(UNKNOWN_MEMBER)
        return json_response(member.to_dict())
