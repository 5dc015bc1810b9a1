"""Interactions: what a member's click or command becomes, and how the bot must answer it.

Each interaction sent to the bot is tracked until answered. Discord's rules are enforced: one
initial callback within the acknowledgement window (3 s), the callback type must suit the
interaction type, followups and @original edits need an acknowledged interaction and a token
younger than 15 minutes. A late or missing acknowledgement is recorded as a failure, because
the member would have seen "This interaction failed".
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from standin.clock import seconds_between
from standin.messages import (
    EPHEMERAL,
    LOADING,
    create_message,
    edit_message,
    message_event,
    render,
)
from standin.responses import (
    ALREADY_ACKNOWLEDGED,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    DiscordError,
    json_response,
    no_content,
)
from standin.rest import API, BODY
from standin.state import Channel, Json, Message, User

if TYPE_CHECKING:
    from standin.server import StandIn

COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
ALLOWED_CALLBACKS = {
    COMMAND: {4, 5, 9},
    COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}
WEBHOOK = API + "/webhooks/{webhook_id}/{webhook_token}"


@dataclass
class InteractionRecord:
    """One interaction and everything the bot did in answer to it."""

    id: int
    token: str
    type: int
    payload: Json
    user: User
    channel: Channel
    created_at: dt.datetime
    source: Message | None = None
    acknowledged: asyncio.Event = field(default_factory=asyncio.Event)
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the outcome is known: acknowledged in time, too late, or never."""
    callback_type: int | None = None
    callback_at: dt.datetime | None = None
    original: Message | None = None
    modal: Json | None = None
    choices: list[Json] | None = None
    followups: list[Message] = field(default_factory=list)
    late: bool = False
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when a deferred answer is filled in: a followup, or an edit of @original."""


class Interactions:
    """Sends interactions to the bot and serves the routes it answers them on."""

    def __init__(self, standin: StandIn) -> None:
        self.s = standin
        self.world = standin.world
        self.records: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self._timers: deque[asyncio.TimerHandle] = deque()

    def routes(self) -> list[web.RouteDef]:
        original = WEBHOOK + "/messages/@original"
        followup = WEBHOOK + "/messages/{message_id}"
        return [
            web.post(
                API + "/interactions/{interaction_id}/{interaction_token}/callback", self.callback
            ),
            web.post(WEBHOOK, self.followup),
            web.get(original, self.get_message),
            web.patch(original, self.edit_message),
            web.delete(original, self.delete_message),
            web.get(followup, self.get_message),
            web.patch(followup, self.edit_message),
            web.delete(followup, self.delete_message),
        ]

    async def send(self, record: InteractionRecord) -> InteractionRecord:
        """Deliver INTERACTION_CREATE and start the acknowledgement clock."""
        self.records[record.id] = record
        self._by_token[record.token] = record
        loop = asyncio.get_running_loop()
        # Timers are queued in deadline order: drop the expired ones from the front only, so
        # each interaction costs the same however many arrived in the last few seconds.
        while self._timers and self._timers[0].when() <= loop.time():
            self._timers.popleft()
        self._timers.append(loop.call_later(self.s.ack_deadline, self._check_ack, record))
        await self.s.dispatch("INTERACTION_CREATE", record.payload)
        return record

    def close(self) -> None:
        """Stop watching for acknowledgements (the stand-in is shutting down)."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()

    def _check_ack(self, record: InteractionRecord) -> None:
        if not record.acknowledged.is_set() and not record.late:
            record.late = True
            problem = (
                f"interaction {record.id} was not acknowledged within {self.s.ack_deadline:g} s"
            )
            self.s.fail(
                "unacknowledged", "POST", f"/interactions/{record.id}/callback", problem, None
            )
        record.settled.set()

    # -- the initial response -------------------------------------------------------------------

    async def callback(self, request: web.Request) -> web.Response:
        record = self.records.get(int(request.match_info["interaction_id"]))
        path = request.path[len(API) :]
        if record is None or record.token != request.match_info["interaction_token"]:
            self.s.fail(
                "interaction", "POST", path, "callback for an unknown interaction", request[BODY]
            )
            raise DiscordError(UNKNOWN_INTERACTION)
        if record.acknowledged.is_set():
            self.s.fail(
                "interaction", "POST", path, "interaction acknowledged twice", request[BODY]
            )
            raise DiscordError(ALREADY_ACKNOWLEDGED)
        if seconds_between(record.created_at, self.world.clock.now()) > self.s.ack_deadline:
            if not record.late:
                record.late = True
                problem = f"acknowledged after the {self.s.ack_deadline:g} s window"
                self.s.fail("unacknowledged", "POST", path, problem, request[BODY])
            record.settled.set()
            raise DiscordError(UNKNOWN_INTERACTION)
        body: Json = request[BODY] or {}
        kind = int(body.get("type", 0))
        if kind not in ALLOWED_CALLBACKS.get(record.type, set()):
            problem = f"callback type {kind} is not valid for interaction type {record.type}"
            self.s.fail("interaction", "POST", path, problem, body)
            raise DiscordError((400, "Interaction callback type is invalid", 50035))
        resource = await self._respond(record, kind, body.get("data") or {})
        record.callback_type = kind
        record.callback_at = self.world.clock.now()
        record.acknowledged.set()
        record.settled.set()
        answer: Json = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "response_message_id": str(record.original.id) if record.original else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(record.original and record.original.ephemeral),
            },
            "resource": resource,
        }
        return json_response(answer)

    async def _respond(self, record: InteractionRecord, kind: int, data: Json) -> Json:
        if kind in (4, 5):
            flags = int(data.get("flags") or 0) & EPHEMERAL | (LOADING if kind == 5 else 0)
            message = create_message(
                self.world,
                record.channel,
                self.world.bot,
                {**data, "flags": data.get("flags")},
                allow_empty=kind == 5,
                flags=flags,
                type=20 if record.type == COMMAND else 0,
                webhook_id=self.world.application_id,
                application_id=self.world.application_id,
                interaction_metadata=self._metadata(record),
            )
            record.original = message
            if not message.ephemeral:
                await self.s.dispatch("MESSAGE_CREATE", message_event(self.world, message))
            return {"type": kind, "message": render(self.world, message)}
        if kind in (6, 7):
            record.original = record.source
            if kind == 7 and record.source is not None:
                edit_message(self.world, record.source, data)
                if not record.source.ephemeral:
                    await self.s.dispatch(
                        "MESSAGE_UPDATE", message_event(self.world, record.source)
                    )
                return {"type": kind, "message": render(self.world, record.source)}
            return {"type": kind}
        if kind == 8:
            record.choices = list(data.get("choices") or [])
        if kind == 9:
            record.modal = data
        return {"type": kind}

    def _metadata(self, record: InteractionRecord) -> Json:
        guild_id = record.channel.guild_id
        owners = {"0": str(guild_id)} if guild_id else {"1": str(record.user.id)}
        meta: Json = {
            "id": str(record.id),
            "type": record.type,
            "user": record.user.to_dict(),
            "authorizing_integration_owners": owners,
        }
        if record.source is not None:
            meta["interacted_message_id"] = str(record.source.id)
        return meta

    # -- followups and @original ----------------------------------------------------------------

    def _record(self, request: web.Request) -> InteractionRecord:
        record = self._by_token.get(request.match_info["webhook_token"])
        path = request.path[len(API) :]
        if record is None or int(request.match_info["webhook_id"]) != self.world.application_id:
            self.s.fail("interaction", request.method, path, "unknown webhook token", request[BODY])
            raise DiscordError(UNKNOWN_WEBHOOK)
        if seconds_between(record.created_at, self.world.clock.now()) > self.s.token_lifetime:
            problem = f"interaction token used after {self.s.token_lifetime / 60:g} minutes"
            self.s.fail("interaction", request.method, path, problem, request[BODY])
            raise DiscordError(INVALID_WEBHOOK_TOKEN)
        if not record.acknowledged.is_set():
            self.s.fail(
                "interaction", request.method, path, "used before acknowledging", request[BODY]
            )
            raise DiscordError(UNKNOWN_WEBHOOK)
        return record

    def _target(self, record: InteractionRecord, request: web.Request) -> Message:
        wanted = request.match_info.get("message_id")
        if wanted is None:
            if record.original is None or record.original.deleted:
                raise DiscordError(UNKNOWN_MESSAGE)
            return record.original
        for message in [record.original, *record.followups]:
            if message is not None and str(message.id) == wanted and not message.deleted:
                return message
        raise DiscordError(UNKNOWN_MESSAGE)

    async def followup(self, request: web.Request) -> web.Response:
        """A followup; after a deferred answer the first one fills in the "thinking" message."""
        record = self._record(request)
        record.answered.set()
        body: Json = request[BODY] or {}
        pending = record.original
        if record.callback_type == 5 and pending is not None and pending.flags & LOADING:
            edit_message(self.world, pending, {**body, "flags": None})
            if not pending.ephemeral:
                await self.s.dispatch("MESSAGE_UPDATE", message_event(self.world, pending))
            return json_response(render(self.world, pending))
        message = create_message(
            self.world,
            record.channel,
            self.world.bot,
            body,
            flags=int(body.get("flags") or 0) & EPHEMERAL,
            webhook_id=self.world.application_id,
            application_id=self.world.application_id,
            interaction_metadata=self._metadata(record),
        )
        record.followups.append(message)
        if not message.ephemeral:
            await self.s.dispatch("MESSAGE_CREATE", message_event(self.world, message))
        if request.query.get("wait", "false").lower() in ("true", "1"):
            return json_response(render(self.world, message))
        return no_content()

    async def get_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        return json_response(render(self.world, self._target(record, request)))

    async def edit_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        record.answered.set()
        message = self._target(record, request)
        edit_message(self.world, message, request[BODY] or {})
        if not message.ephemeral:
            await self.s.dispatch("MESSAGE_UPDATE", message_event(self.world, message))
        return json_response(render(self.world, message))

    async def delete_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        await self.s.delete_message(self._target(record, request))
        return no_content()
