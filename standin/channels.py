"""Channel routes: messages, pins, threads, forum posts, channel edits and DMs.

Each handler checks what Discord checks, in the same order: the channel exists (10003 when it
was deleted), the bot can see it, the bot holds the permission the action needs (50013), then
the action itself. Successful changes are also sent to the bot as gateway events, since
discord.py's cache and the bot's listeners depend on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from standin.clock import seconds_between
from standin.messages import create_message, edit_message, message_event, render
from standin.permissions import ALL, Perm, channel_permissions
from standin.responses import (
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    NON_TEXT_CHANNEL,
    THREAD_EXISTS,
    THREAD_LOCKED,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    UNKNOWN_USER,
    DiscordError,
    invalid_form_body,
    json_response,
    no_content,
)
from standin.rest import API, BODY
from standin.state import Channel, ChannelType, Json, Message

if TYPE_CHECKING:
    from standin.server import StandIn

CHANNEL = API + "/channels/{channel_id}"
MESSAGE = CHANNEL + "/messages/{message_id}"
CANNOT_EDIT_OTHERS = (403, "Cannot edit a message authored by another user", 50005)
CANNOT_DM = (403, "Cannot send messages to this user", 50007)


class ChannelRoutes:
    def __init__(self, standin: StandIn) -> None:
        self.s = standin
        self.world = standin.world
        self._nonces = standin.world.nonces

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(CHANNEL, self.get_channel),
            web.patch(CHANNEL, self.edit_channel),
            web.delete(CHANNEL, self.delete_channel),
            web.get(CHANNEL + "/messages", self.history),
            web.post(CHANNEL + "/messages", self.send),
            web.get(CHANNEL + "/messages/pins", self.list_pins),
            web.put(CHANNEL + "/messages/pins/{message_id}", self.pin),
            web.delete(CHANNEL + "/messages/pins/{message_id}", self.unpin),
            web.get(MESSAGE, self.get_message),
            web.patch(MESSAGE, self.edit),
            web.delete(MESSAGE, self.delete),
            web.post(MESSAGE + "/threads", self.thread_from_message),
            web.put(MESSAGE + "/reactions/{emoji}/@me", self.react),
            web.post(CHANNEL + "/threads", self.create_thread),
            web.put(CHANNEL + "/thread-members/@me", self.join_thread),
            web.put(CHANNEL + "/thread-members/{user_id}", self.join_thread),
            web.delete(CHANNEL + "/thread-members/{user_id}", self.join_thread),
            web.post(CHANNEL + "/typing", self.typing),
            web.post(API + "/users/@me/channels", self.open_dm),
        ]

    # -- shared checks --------------------------------------------------------------------------

    def channel(self, request: web.Request) -> Channel:
        channel = self.world.channels.get(int(request.match_info["channel_id"]))
        if channel is None or channel.deleted:
            raise DiscordError(UNKNOWN_CHANNEL)
        return channel

    def require(self, channel: Channel, *needed: Perm) -> int:
        """The bot's permissions in `channel`, or a 403 if any of `needed` is missing."""
        guild = self.world.guild_of(channel)
        if guild is None:
            return ALL
        have = channel_permissions(guild, channel, self.world.bot.id)
        if not have & Perm.VIEW_CHANNEL:
            raise DiscordError(MISSING_ACCESS)
        if any(not have & p for p in needed):
            raise DiscordError(MISSING_PERMISSIONS)
        return have

    def message(self, channel: Channel, request: web.Request) -> Message:
        message = self.world.messages.get(int(request.match_info["message_id"]))
        if message is None or message.deleted or message.channel_id != channel.id:
            raise DiscordError(UNKNOWN_MESSAGE)
        return message

    # -- channels -------------------------------------------------------------------------------

    async def get_channel(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.require(channel)
        return json_response(channel.to_dict())

    async def edit_channel(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        body: Json = request[BODY] or {}
        if channel.is_thread:
            needs_manage = "locked" in body or channel.owner_id != self.world.bot.id
            needs_manage |= channel.locked and body.get("archived") is False
            self.require(channel, *([Perm.MANAGE_THREADS] if needs_manage else []))
        else:
            self.require(channel, Perm.MANAGE_CHANNELS)
        for key in ("name", "topic", "rate_limit_per_user", "auto_archive_duration", "locked"):
            if key in body:
                setattr(channel, key, body[key])
        if "archived" in body:
            channel.archived = bool(body["archived"])
            channel.archive_timestamp = self.world.clock.iso()
        event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
        await self.s.dispatch(event, channel.to_dict())
        return json_response(channel.to_dict())

    async def delete_channel(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.require(channel, Perm.MANAGE_THREADS if channel.is_thread else Perm.MANAGE_CHANNELS)
        await self.s.delete_channel(channel)
        return json_response(channel.to_dict())

    async def open_dm(self, request: web.Request) -> web.Response:
        body: Json = request[BODY] or {}
        user = self.world.users.get(int(body.get("recipient_id") or 0))
        if user is None:
            raise DiscordError(UNKNOWN_USER)
        return json_response(self.world.dm_channel(user).to_dict())

    async def typing(self, request: web.Request) -> web.Response:
        self.require(self.channel(request), Perm.SEND_MESSAGES)
        return no_content()

    # -- messages -------------------------------------------------------------------------------

    async def history(self, request: web.Request) -> web.Response:
        """Like Discord: the `limit` (1-100, default 50) messages nearest the anchor, newest first.

        `after` takes the oldest messages after it, `before` (or no anchor) the newest before it,
        `around` about half on each side, the anchor included. Discord accepts one anchor at a
        time; a request with several is recorded as a failure.
        """
        channel = self.channel(request)
        self.require(channel, Perm.READ_MESSAGE_HISTORY)
        query = request.query
        limit = _history_limit(query.get("limit", "50"))
        anchors = [k for k in ("around", "before", "after") if k in query]
        if len(anchors) > 1:
            problem = f"history takes one of around/before/after, got {', '.join(anchors)}"
            self.s.fail("validation", request.method, request.path, problem)
        found = sorted(
            (m for m in self.world.messages_in(channel) if not m.ephemeral), key=lambda m: m.id
        )
        if "around" in query:
            anchor = _snowflake(query["around"], "around")
            older = [m for m in found if m.id < anchor]
            newer = [m for m in found if m.id >= anchor]
            half = limit // 2
            picked = older[len(older) - half :] if half else []
            picked += newer[: limit - len(picked)]
        elif "before" in query:
            before = _snowflake(query["before"], "before")
            picked = [m for m in found if m.id < before][-limit:]
        elif "after" in query:
            after = _snowflake(query["after"], "after")
            picked = [m for m in found if m.id > after][:limit]
        else:
            picked = found[-limit:]
        return json_response([render(self.world, m) for m in reversed(picked)])

    async def send(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        body: Json = request[BODY] or {}
        if channel.type in (ChannelType.FORUM, ChannelType.CATEGORY):
            raise DiscordError(NON_TEXT_CHANNEL)
        if channel.type == ChannelType.DM and channel.recipients[0].id in self.s.dms_closed:
            raise DiscordError(CANNOT_DM)
        needed = [Perm.SEND_MESSAGES_IN_THREADS if channel.is_thread else Perm.SEND_MESSAGES]
        if body.get("embeds"):
            needed.append(Perm.EMBED_LINKS)
        if body.get("message_reference"):
            needed.append(Perm.READ_MESSAGE_HISTORY)
        have = self.require(channel, *needed)
        if channel.is_thread and channel.locked and not have & Perm.MANAGE_THREADS:
            raise DiscordError(THREAD_LOCKED)
        nonce = body.get("nonce")
        key = (self.world.bot.id, str(nonce))
        if nonce is not None and body.get("enforce_nonce") and key in self._nonces:
            earlier = self.world.messages.get(self._nonces[key])
            if (
                earlier
                and seconds_between(earlier.created_at, self.world.clock.now())
                < self.s.nonce_window
            ):
                return json_response(render(self.world, earlier))
        message = create_message(self.world, channel, self.world.bot, body)
        if nonce is not None:
            self._nonces[key] = message.id
        if channel.is_thread and channel.archived:
            channel.archived = False
            await self.s.dispatch("THREAD_UPDATE", channel.to_dict())
        await self.s.dispatch("MESSAGE_CREATE", message_event(self.world, message))
        return json_response(render(self.world, message))

    async def get_message(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.require(channel, Perm.READ_MESSAGE_HISTORY)
        return json_response(render(self.world, self.message(channel, request)))

    async def edit(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        body: Json = request[BODY] or {}
        self.require(channel, *([Perm.EMBED_LINKS] if body.get("embeds") else []))
        message = self.message(channel, request)
        if message.author.id != self.world.bot.id:
            raise DiscordError(CANNOT_EDIT_OTHERS)
        edit_message(self.world, message, body)
        await self.s.dispatch("MESSAGE_UPDATE", message_event(self.world, message))
        return json_response(render(self.world, message))

    async def delete(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        message = self.message(channel, request)
        own = message.author.id == self.world.bot.id
        self.require(channel, *([] if own else [Perm.MANAGE_MESSAGES]))
        await self.s.delete_message(message)
        return no_content()

    async def react(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.require(channel, Perm.ADD_REACTIONS, Perm.READ_MESSAGE_HISTORY)
        self.message(channel, request)
        return no_content()

    # -- pins -----------------------------------------------------------------------------------

    async def list_pins(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.require(channel, Perm.READ_MESSAGE_HISTORY)
        pinned = [m for m in self.world.messages_in(channel) if m.pinned]
        items = [{"pinned_at": m.timestamp, "message": render(self.world, m)} for m in pinned]
        return json_response({"items": items, "has_more": False})

    async def pin(self, request: web.Request) -> web.Response:
        return await self._set_pin(request, True)

    async def unpin(self, request: web.Request) -> web.Response:
        return await self._set_pin(request, False)

    async def _set_pin(self, request: web.Request, pinned: bool) -> web.Response:
        channel = self.channel(request)
        self.require(channel, Perm.PIN_MESSAGES)
        message = self.message(channel, request)
        message.pinned = pinned
        event: Json = {"channel_id": str(channel.id), "last_pin_timestamp": self.world.clock.iso()}
        if channel.guild_id is not None:
            event["guild_id"] = str(channel.guild_id)
        await self.s.dispatch("CHANNEL_PINS_UPDATE", event)
        await self.s.dispatch("MESSAGE_UPDATE", message_event(self.world, message))
        return no_content()

    # -- threads --------------------------------------------------------------------------------

    async def thread_from_message(self, request: web.Request) -> web.Response:
        """A public thread whose id is the starting message's id, as on Discord."""
        channel = self.channel(request)
        self.require(channel, Perm.CREATE_PUBLIC_THREADS, Perm.READ_MESSAGE_HISTORY)
        message = self.message(channel, request)
        if message.id in self.world.channels:
            raise DiscordError(THREAD_EXISTS)
        thread = self._new_thread(
            channel, request[BODY] or {}, ChannelType.PUBLIC_THREAD, message.id
        )
        await self.s.dispatch("THREAD_CREATE", {**thread.to_dict(), "newly_created": True})
        return json_response(thread.to_dict())

    async def create_thread(self, request: web.Request) -> web.Response:
        """A thread without a starting message, or a forum post with its first message nested."""
        channel = self.channel(request)
        body: Json = request[BODY] or {}
        if channel.type == ChannelType.FORUM:
            return await self._forum_post(channel, body)
        if channel.type != ChannelType.TEXT:
            raise DiscordError(NON_TEXT_CHANNEL)
        kind = ChannelType(int(body.get("type") or ChannelType.PRIVATE_THREAD))
        needed = Perm.CREATE_PUBLIC_THREADS
        if kind == ChannelType.PRIVATE_THREAD:
            needed = Perm.CREATE_PRIVATE_THREADS
        self.require(channel, needed)
        thread = self._new_thread(channel, body, kind, None)
        await self.s.dispatch("THREAD_CREATE", {**thread.to_dict(), "newly_created": True})
        return json_response(thread.to_dict())

    async def _forum_post(self, forum: Channel, body: Json) -> web.Response:
        first: Json = body.get("message") or {}
        self.require(
            forum, Perm.SEND_MESSAGES, *([Perm.EMBED_LINKS] if first.get("embeds") else [])
        )
        thread = self._new_thread(forum, body, ChannelType.PUBLIC_THREAD, None)
        message = create_message(self.world, thread, self.world.bot, first, message_id=thread.id)
        await self.s.dispatch("THREAD_CREATE", {**thread.to_dict(), "newly_created": True})
        await self.s.dispatch("MESSAGE_CREATE", message_event(self.world, message))
        return json_response({**thread.to_dict(), "message": render(self.world, message)})

    def _new_thread(
        self, parent: Channel, body: Json, kind: ChannelType, thread_id: int | None
    ) -> Channel:
        guild = self.world.guild_of(parent)
        thread = self.world.add_channel(
            guild,
            str(body.get("name", "")),
            kind,
            parent=parent,
            owner=self.world.bot,
            channel_id=thread_id,
        )
        thread.auto_archive_duration = int(body.get("auto_archive_duration") or 1440)
        thread.rate_limit_per_user = int(body.get("rate_limit_per_user") or 0)
        if thread_id is not None:
            thread.message_count = 0
        return thread

    async def join_thread(self, request: web.Request) -> web.Response:
        """Thread membership is not modelled; joining, adding and removing just succeed."""
        self.require(self.channel(request))
        return no_content()


def _history_limit(raw: str) -> int:
    try:
        limit = int(raw)
    except ValueError:
        raise invalid_form_body(["limit: Value is not int."]) from None
    if not 1 <= limit <= 100:
        raise invalid_form_body(["limit: int value should be between 1 and 100."])
    return limit


def _snowflake(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise invalid_form_body([f'{name}: Value "{raw}" is not snowflake.']) from None
