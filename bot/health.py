"""`/healthz` and `/metrics` over HTTP, for a process supervisor and Prometheus.

Off unless MUTUAL_HTTP_PORT is set, and bound to 127.0.0.1 unless MUTUAL_HTTP_HOST says
otherwise: neither page is meant for the open internet. /healthz answers 200 when every shard's
gateway is connected, the timer ticked recently and the database answers; 503 otherwise, with
the failing part named in the JSON body.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.metrics import CONTENT_TYPE, shard_latencies
from bot.scheduling import MAX_SLEEP

if TYPE_CHECKING:
    from bot.app import MutualBot

log = logging.getLogger(__name__)

# The dispatcher wakes at least every MAX_SLEEP; twice that and a minute more means it stopped.
TICK_STALE_AFTER = 2 * MAX_SLEEP.total_seconds() + 60
DATABASE_TIMEOUT = 2.0


async def health(bot: MutualBot) -> tuple[bool, dict[str, Any]]:
    latencies = shard_latencies(bot)
    shards = {shard: connected for shard, _, connected in latencies}
    last = bot.dispatcher.last_tick
    tick_age = None if last is None else round(time.monotonic() - last, 1)
    try:
        await asyncio.wait_for(bot.db.fetchval("SELECT 1"), DATABASE_TIMEOUT)
        database = True
    except Exception:
        database = False
    ticking = tick_age is not None and tick_age < TICK_STALE_AFTER
    ok = all(shards.values()) and ticking and database
    return ok, {
        "status": "ok" if ok else "unhealthy",
        "gateway_connected": shards,
        # Which shards of how many this process runs, each with its heartbeat latency.
        "shard_count": bot.shard_count,
        "shards": {
            shard: {
                "connected": connected,
                "latency_ms": round(seconds * 1000, 1) if math.isfinite(seconds) else None,
            }
            for shard, seconds, connected in latencies
        },
        "send_rate_per_second": bot.settings.send_rate_per_second,
        "dispatcher_last_tick_age_seconds": tick_age,
        "database_reachable": database,
    }


class HealthServer:
    def __init__(self, bot: MutualBot, host: str, port: int) -> None:
        self.bot = bot
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("Health and metrics on http://%s:%d/", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        ok, body = await health(self.bot)
        return web.json_response(body, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        await self.bot.metrics.refresh(self.bot)
        return web.Response(body=self.bot.metrics.render(), headers={"Content-Type": CONTENT_TYPE})
