"""The stand-in's gateway: the websocket discord.py keeps open for events.

It speaks the subset of the protocol a bot uses: HELLO, IDENTIFY, heartbeats, READY and
GUILD_CREATE, RESUME with replay of the events the client missed, member chunk requests, and the
three ways Discord pushes a client off (close 4000, op 7 reconnect, op 9 invalid session) so
tests can prove the bot survives them. Frames are zlib-stream compressed when the client asks
(one compressor per connection, each frame ending in a Z_SYNC_FLUSH marker), as Discord does.

Sessions are sharded like Discord's: IDENTIFY may carry `shard: [id, count]`, and a server's
events (its GUILD_CREATE, channel and message events, interactions) reach only the sessions
whose shard is `(guild_id >> 22) % count`; events outside a server go to shard 0. A session
that would hold more than 2,500 servers is closed with 4011 (sharding required), a shard that
cannot exist with 4010, as Discord does.
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
# Discord refuses a session that would hold more servers than this: the bot must shard.
MAX_GUILDS_PER_SESSION = 2_500
# GET /gateway/bot recommends one shard per this many servers.
GUILDS_PER_RECOMMENDED_SHARD = 1_000
# A day's IDENTIFYs, as Discord grants most bots.
SESSION_START_TOTAL = 1_000

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
    shard: tuple[int, int] = (0, 1)
    intents: int = 0

    def owns(self, guild_id: int | None) -> bool:
        """Whether this session's shard receives the events of `guild_id` (None: not a
        server's event, which Discord sends on shard 0)."""
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0
        return (guild_id >> 22) % count == shard_id

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
        # The live session of each shard (id, count) a client identified as.
        self.live: dict[tuple[int, int], Session] = {}
        self.identifies = 0
        self.resumes = 0
        self.max_concurrency = 1
        self.refused: list[int] = []
        """Close codes the gateway refused an IDENTIFY with (4010, 4011), for tests."""
        self.ready = asyncio.Event()
        self._connections: set[_Connection] = set()

    @property
    def intents(self) -> int:
        return self.current.intents if self.current is not None else 0

    def recommended_shards(self) -> int:
        return max(1, -(-len(self.world.guilds) // GUILDS_PER_RECOMMENDED_SHARD))

    def session_start_limit(self) -> Json:
        return {
            "total": SESSION_START_TOTAL,
            "remaining": max(0, SESSION_START_TOTAL - self.identifies),
            "reset_after": 14_400_000,
            "max_concurrency": self.max_concurrency,
        }

    def sessions_for(self, guild_id: int | None) -> list[Session]:
        """The live sessions that receive a server's events."""
        return [s for s in self.live.values() if s.owns(guild_id)]

    # -- control, used by tests -----------------------------------------------------------------

    def _targets(self, shard: int | None) -> list[Session]:
        if shard is None:
            return list(self.live.values()) or ([self.current] if self.current else [])
        return [s for s in self.live.values() if s.shard[0] == shard]

    async def close(self, code: int = 4000, shard: int | None = None) -> None:
        """Drop the live connections (of one shard, or all) with `code`; 4000 means "unknown
        error", the client resumes."""
        self.ready.clear()
        for session in self._targets(shard):
            if session.conn is not None:
                await session.conn.ws.close(code=code)

    async def reconnect(self) -> None:
        """Send op 7: the client closes and resumes."""
        await self._send_op(7, None)

    async def invalidate(self, resumable: bool = False) -> None:
        """Send op 9; with `resumable=False` the session is forgotten and the client identifies."""
        if not resumable:
            for session in self._targets(None):
                self.sessions.pop(session.id, None)
        await self._send_op(9, resumable)

    async def dispatch(self, event: str, data: Json) -> None:
        """Send an event on the sessions of its server's shard (kept for replay if away)."""
        guild_id = _guild_of(event, data)
        targets = self.sessions_for(guild_id)
        if not targets:
            log.debug("no gateway session for guild %s; %s dropped", guild_id, event)
            return
        for session in targets:
            visible = as_seen_with(session.intents, self.world.bot.id, event, data)
            if visible is None:
                continue
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
        shard = _shard(data.get("shard"))
        if shard is None:
            self.refused.append(4010)
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        session = Session(uuid.uuid4().hex, shard=shard, intents=int(data.get("intents") or 0))
        guilds = [g for g in self.world.guilds.values() if session.owns(g.id)]
        if len(guilds) > MAX_GUILDS_PER_SESSION:
            self.refused.append(4011)
            await conn.ws.close(code=4011, message=b"Sharding required.")
            return
        self.identifies += 1
        self.sessions[session.id] = session
        replaced = self.live.get(shard)
        if replaced is not None:
            replaced.conn = None
        self.live[shard] = session
        self.current = session
        session.conn = conn
        await conn.send(session.stamp("READY", self._ready_payload(session, guilds)))
        for guild in guilds:
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
        self.live[session.shard] = session
        session.conn = conn
        for seq, frame in list(session.backlog):
            if seq > seen:
                await conn.send(frame)
        await conn.send(session.stamp("RESUMED", {}))
        self.ready.set()

    async def _member_chunk(self, conn: _Connection, data: Json) -> None:
        session = next((s for s in self.live.values() if s.conn is conn), None)
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

    def _ready_payload(self, session: Session, guilds: list[Any]) -> Json:
        return {
            "v": 10,
            "user": {**self.world.bot.to_dict(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "shard": list(session.shard),
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
        for session in self._targets(None):
            if session.conn is not None:
                self.ready.clear()
                await session.conn.send({"op": op, "d": data})


def _shard(value: Any) -> tuple[int, int] | None:
    """IDENTIFY's `shard`: absent means [0, 1]; None for one that cannot exist."""
    if value is None:
        return (0, 1)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    shard_id, count = value
    if count < 1 or not 0 <= shard_id < count:
        return None
    return (shard_id, count)


def _guild_of(event: str, data: Json) -> int | None:
    """The server an event belongs to, which decides the shard that receives it."""
    if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"):
        return int(data["id"])
    raw = data.get("guild_id")
    return int(raw) if raw is not None else None
