"""`StandIn`: a local Discord that discord.py can log in to over real HTTP and websockets.

It owns one aiohttp application on 127.0.0.1 (port 0 picks a free port) serving the REST API
under /api/v10 and the gateway at /. Tests steer it through methods here (drop the gateway,
force a 429, delete a channel, change permissions) and read back `failures`, `requests` and the
`world` it keeps.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from aiohttp import web

from standin.channels import ChannelRoutes
from standin.clock import Clock
from standin.failures import Failure
from standin.gateway import Gateway
from standin.interactions import InteractionRecord, Interactions
from standin.messages import message_event
from standin.permissions import Perm
from standin.ratelimit import RateLimiter
from standin.rest import AccountRoutes, RequestRecord, middleware
from standin.state import Channel, Json, Message, Overwrite, World
from standin.validation import BodyValidator

log = logging.getLogger(__name__)


class StandIn:
    """The fake Discord server. `await start()`, point discord.py at `url`, `await stop()`."""

    def __init__(
        self,
        world: World | None = None,
        *,
        token: str = "sandbox-token",
        ack_deadline: float = 3.0,
        token_lifetime: float = 15 * 60,
        nonce_window: float = 5 * 60,
        spec_path: str | Path | None = None,
        route_limits: dict[str, tuple[int, float]] | None = None,
        global_limit: int = 50,
        max_concurrency: int = 1,
    ) -> None:
        self.world = world or World()
        self.clock: Clock = self.world.clock
        self.token = token
        self.ack_deadline = ack_deadline
        self.token_lifetime = token_lifetime
        self.nonce_window = nonce_window
        self.failures: list[Failure] = []
        self.requests: list[RequestRecord] = []
        self.dms_closed: set[int] = set()
        self.validator = BodyValidator(spec_path)
        self.limiter = RateLimiter(route_limits, global_limit=global_limit)
        self.gateway = Gateway(self.world, token, lambda: self.ws_url, self._touch)
        # session_start_limit.max_concurrency: how many shards may IDENTIFY at once.
        self.gateway.max_concurrency = max_concurrency
        self.interactions = Interactions(self)
        self._in_flight = 0
        self._last_activity = 0.0
        self._runner: web.AppRunner | None = None
        self._port = 0

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[middleware(self)], client_max_size=64 * 1024 * 1024)
        app.router.add_routes(self.interactions.routes())
        app.router.add_routes(AccountRoutes(self).routes())
        app.router.add_routes(ChannelRoutes(self).routes())
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self.attachment)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        self.world.attachment_base = self.url
        log.info("Discord stand-in listening on %s", self.url)

    async def open_port(self) -> str:
        """Serve the same stand-in on one more port and return its base URL: each bot process
        given its own tells its requests apart (`RequestRecord.port`)."""
        assert self._runner is not None, "start() first"
        before = {int(address[1]) for address in self._runner.addresses}
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        (port,) = {int(address[1]) for address in self._runner.addresses} - before
        return f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        self.interactions.close()
        await self.gateway.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def attachment(self, request: web.Request) -> web.Response:
        """The CDN's side of an uploaded file: no token, just the URL from the interaction."""
        upload = self.world.uploads.get(int(request.match_info["attachment_id"]))
        if upload is None or upload.filename != request.match_info["filename"]:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=upload.data, content_type=upload.content_type.split(";")[0])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/"

    # -- bookkeeping ----------------------------------------------------------------------------

    def fail(self, kind: str, method: str, path: str, problem: str, body: object = None) -> None:
        """Record something real Discord would have refused or punished."""
        failure = Failure(kind, method, path, problem, body)
        log.warning("stand-in failure: %s", failure)
        self.failures.append(failure)

    def busy(self, delta: int) -> None:
        self._in_flight += delta
        self._touch()

    def _touch(self) -> None:
        self._last_activity = asyncio.get_running_loop().time()

    def quiet_for(self) -> float:
        """Seconds since the last request or gateway frame (0 while a request is running)."""
        if self._in_flight:
            return 0.0
        return asyncio.get_running_loop().time() - self._last_activity

    async def dispatch(self, event: str, data: Json) -> None:
        await self.gateway.dispatch(event, data)

    async def interact(self, record: InteractionRecord) -> InteractionRecord:
        return await self.interactions.send(record)

    # -- control, for tests ---------------------------------------------------------------------

    async def close_gateway(self, code: int = 4000, shard: int | None = None) -> None:
        """Drop the bot's websockets (or one shard's); with 4000 discord.py reconnects and
        RESUMEs."""
        await self.gateway.close(code, shard)

    async def send_reconnect(self) -> None:
        """Gateway op 7: discord.py reconnects and RESUMEs."""
        await self.gateway.reconnect()

    async def send_invalid_session(self, resumable: bool = False) -> None:
        """Gateway op 9; not resumable means discord.py must IDENTIFY again."""
        await self.gateway.invalidate(resumable)

    def force_rate_limit(
        self, route: str = "*", count: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> None:
        """Answer the next `count` requests on `route` (e.g. "POST /channels/{}/messages") 429."""
        self.limiter.force(route, 429, count, retry_after=retry_after, is_global=is_global)

    def inject_errors(self, route: str = "*", count: int = 1, status: int = 500) -> None:
        """Answer the next `count` requests on `route` with a server error."""
        self.limiter.force(route, status, count)

    def set_route_limit(self, route: str, limit: int, per: float) -> None:
        self.limiter.set_limit(route, limit, per)

    def set_overwrite(
        self, channel: Channel | str, target: str, allow: int = 0, deny: int = 0
    ) -> None:
        """Give a role ("@Moderator", "@everyone") or member ("alice", the bot's name) an overwrite."""
        channel = self.world.channel_named(channel) if isinstance(channel, str) else channel
        guild = self.world.guild_of(channel)
        assert guild is not None, "overwrites only exist in guild channels"
        if target.startswith("@"):
            role = self.world.role_named(guild, target)
            kind, target_id = 0, role.id
        else:
            kind, target_id = 1, self.world.user_named(target).id
        channel.overwrites = [o for o in channel.overwrites if o.id != target_id]
        channel.overwrites.append(Overwrite(target_id, kind, int(allow), int(deny)))

    async def deny_bot(self, channel: Channel | str, *perms: Perm) -> None:
        """Take permissions from the bot in a channel, and tell the bot like Discord would."""
        deny = 0
        for perm in perms:
            deny |= perm
        self.set_overwrite(channel, self.world.bot.username, deny=deny)
        target = self.world.channel_named(channel) if isinstance(channel, str) else channel
        await self.dispatch("CHANNEL_UPDATE", target.to_dict())

    async def delete_channel(self, channel: Channel | str) -> None:
        """Delete a channel (or thread) as a moderator would; later requests get 10003."""
        channel = self.world.channel_named(channel) if isinstance(channel, str) else channel
        channel.deleted = True
        if channel.is_thread:
            data = {
                "id": str(channel.id),
                "guild_id": str(channel.guild_id),
                "parent_id": str(channel.parent_id),
                "type": int(channel.type),
            }
            await self.dispatch("THREAD_DELETE", data)
        else:
            await self.dispatch("CHANNEL_DELETE", channel.to_dict())

    async def delete_message(self, message: Message) -> None:
        message.deleted = True
        data = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        if not message.ephemeral:
            await self.dispatch("MESSAGE_DELETE", data)

    async def post_as(self, user_name: str, channel: Channel | str, content: str) -> Message:
        """A member writes in a channel; the bot sees MESSAGE_CREATE."""
        channel = self.world.channel_named(channel) if isinstance(channel, str) else channel
        message = self.world.add_message(channel, self.world.user_named(user_name), content=content)
        await self.dispatch("MESSAGE_CREATE", message_event(self.world, message))
        return message
