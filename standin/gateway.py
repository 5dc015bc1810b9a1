"""The stand-in's gateway: the websocket discord.py keeps open for events.

It speaks the subset of the protocol a bot uses: HELLO, IDENTIFY, heartbeats, READY and
GUILD_CREATE, RESUME with replay of the events the client missed, member chunk requests, and the
three ways Discord pushes a client off (close 4000, op 7 reconnect, op 9 invalid session) so
tests can prove the bot survives them. Frames are zlib-stream compressed when the client asks
(one compressor per connection, each frame ending in a Z_SYNC_FLUSH marker), as Discord does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from standin.state import Json, World

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_MS = 41_250
BACKLOG = 1_000

GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
_CONTENT_FIELDS = {"content": "", "embeds": [], "attachments": [], "components": []}


def as_seen_with(intents: int, bot_id: int, event: str, data: Json) -> Json | None:
    """The event as Discord would deliver it under `intents`, or None if it would not be sent.

    Message events need GUILD_MESSAGES (or DIRECT_MESSAGES in DMs); without the privileged
    MESSAGE_CONTENT intent a member's message arrives with empty content, unless it is a DM or
    mentions the bot. A bot relying on content it would not get fails here as it would live.
    """
    if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"):
        return data
    in_guild = "guild_id" in data
    if not intents & (GUILD_MESSAGES if in_guild else DIRECT_MESSAGES):
        return None
    author = (data.get("author") or {}).get("id")
    mentioned = f"<@{bot_id}>" in str(data.get("content", ""))
    if intents & MESSAGE_CONTENT or not in_guild or author == str(bot_id) or mentioned:
        return data
    if event == "MESSAGE_DELETE":
        return data
    return {**data, **_CONTENT_FIELDS}


class _Connection:
    """One websocket, with its own compression stream and a lock that keeps frames in order."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self._zlib = zlib.compressobj() if compress else None
        self._lock = asyncio.Lock()

    async def send(self, payload: Json) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._zlib is None:
                await self.ws.send_str(text)
            else:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)


@dataclass
class Session:
    """A gateway session: survives disconnects so a RESUME can replay what was missed."""

    id: str
    seq: int = 0
    backlog: list[tuple[int, Json]] = field(default_factory=list)
    conn: _Connection | None = None

    def stamp(self, event: str, data: Json) -> Json:
        self.seq += 1
        frame = {"op": 0, "t": event, "s": self.seq, "d": data}
        self.backlog.append((self.seq, frame))
        del self.backlog[:-BACKLOG]
        return frame


class Gateway:
    """Accepts discord.py's websocket and feeds it events from the `World`."""

    def __init__(
        self,
        world: World,
        token: str,
        url: Callable[[], str],
        on_activity: Callable[[], None],
    ) -> None:
        self.world = world
        self.token = token
        self._url = url
        self._touch = on_activity
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.identifies = 0
        self.intents = 0
        self.resumes = 0
        self.ready = asyncio.Event()
        self._connections: set[_Connection] = set()

    # -- control, used by tests -----------------------------------------------------------------

    async def close(self, code: int = 4000) -> None:
        """Drop the live connection with `code`; 4000 means "unknown error", the client resumes."""
        conn = self.current.conn if self.current else None
        self.ready.clear()
        if conn is not None:
            await conn.ws.close(code=code)

    async def reconnect(self) -> None:
        """Send op 7: the client closes and resumes."""
        await self._send_op(7, None)

    async def invalidate(self, resumable: bool = False) -> None:
        """Send op 9; with `resumable=False` the session is forgotten and the client identifies."""
        if self.current is not None and not resumable:
            self.sessions.pop(self.current.id, None)
        await self._send_op(9, resumable)

    async def dispatch(self, event: str, data: Json) -> None:
        """Send an event on the current session (kept for replay if the client is away)."""
        session = self.current
        if session is None:
            log.debug("no gateway session; %s dropped", event)
            return
        visible = as_seen_with(self.intents, self.world.bot.id, event, data)
        if visible is None:
            return
        frame = session.stamp(event, visible)
        if session.conn is not None:
            await session.conn.send(frame)
            self._touch()

    async def shutdown(self) -> None:
        for conn in list(self._connections):
            await conn.ws.close(code=1001)

    # -- the websocket --------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = _Connection(ws, request.query.get("compress") == "zlib-stream")
        self._connections.add(conn)
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                self._touch()
                await self._on_frame(conn, json.loads(msg.data))
        finally:
            self._connections.discard(conn)
            for session in self.sessions.values():
                if session.conn is conn:
                    session.conn = None
                    if session is self.current:
                        self.ready.clear()
        return ws

    async def _on_frame(self, conn: _Connection, frame: Json) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            await conn.send({"op": 11})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif op == 8:
            await self._member_chunk(conn, data or {})

    async def _identify(self, conn: _Connection, data: Json) -> None:
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies += 1
        self.intents = int(data.get("intents") or 0)
        session = Session(uuid.uuid4().hex)
        self.sessions[session.id] = session
        if self.current is not None:
            self.current.conn = None
        self.current = session
        session.conn = conn
        await conn.send(session.stamp("READY", self._ready_payload(session)))
        for guild in self.world.guilds.values():
            await conn.send(session.stamp("GUILD_CREATE", guild.to_dict()))
        self.ready.set()

    async def _resume(self, conn: _Connection, data: Json) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            await conn.send({"op": 9, "d": False})
            return
        self.resumes += 1
        seen = int(data.get("seq") or 0)
        self.current = session
        session.conn = conn
        for seq, frame in list(session.backlog):
            if seq > seen:
                await conn.send(frame)
        await conn.send(session.stamp("RESUMED", {}))
        self.ready.set()

    async def _member_chunk(self, conn: _Connection, data: Json) -> None:
        session = self.current
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if session is None or guild is None:
            return
        members = list(guild.members.values())
        wanted = data.get("user_ids")
        if wanted:
            ids = {int(u) for u in (wanted if isinstance(wanted, list) else [wanted])}
            members = [m for m in members if m.user.id in ids]
        query = data.get("query")
        if query:
            members = [m for m in members if m.user.username.startswith(query)]
        chunk: Json = {
            "guild_id": str(guild.id),
            "members": [m.to_dict() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await conn.send(session.stamp("GUILD_MEMBERS_CHUNK", chunk))

    def _ready_payload(self, session: Session) -> Json:
        return {
            "v": 10,
            "user": {**self.world.bot.to_dict(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.world.guilds],
            "session_id": session.id,
            "resume_gateway_url": self._url(),
            "session_type": "normal",
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "application": {"id": str(self.world.application_id), "flags": 0},
            "_trace": ["stand-in"],
        }

    async def _send_op(self, op: int, data: Any) -> None:
        if self.current is not None and self.current.conn is not None:
            self.ready.clear()
            await self.current.conn.send({"op": op, "d": data})
