"""Discord's rate limits and outages, on a schedule or on demand.

discord.py only learns limits from response headers and 429s, so the stand-in sends the same
headers Discord does (X-RateLimit-*, and `Via` on 429s: without it discord.py believes it was
banned by Cloudflare and raises). Per-route buckets are keyed by the route and its major
parameter (channel, guild or webhook), with configurable limits; a global bucket caps all
requests except interaction responses (callbacks and token webhooks), which Discord exempts. Tests can also force 429s or 5xx answers on a route.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

ROUTE_LIMITS: dict[str, tuple[int, float]] = {
    "POST /channels/{}/messages": (5, 5.0),
}
"""Default per-route limits, (requests, per seconds), keyed "METHOD /normalised/{}/path"."""

MAJOR_PARAMS = ("channel_id", "guild_id", "webhook_id", "interaction_id")


@dataclass
class Verdict:
    """What the limiter decided: headers for the response and, when refused, the refusal."""

    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    body: dict[str, object] | None = None


@dataclass
class _Bucket:
    limit: int
    per: float
    count: int = 0
    reset_at: float = 0.0


@dataclass
class _Forced:
    status: int
    retry_after: float = 0.0
    is_global: bool = False


class RateLimiter:
    """Counts requests per bucket and answers like Discord when a bucket is empty."""

    def __init__(
        self,
        routes: dict[str, tuple[int, float]] | None = None,
        global_limit: int = 50,
        global_per: float = 1.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.routes = dict(ROUTE_LIMITS if routes is None else routes)
        self.global_limit = global_limit
        self.global_per = global_per
        self._now = now
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._global = _Bucket(global_limit, global_per)
        self._forced: dict[str, deque[_Forced]] = {}

    def set_limit(self, route: str, limit: int, per: float) -> None:
        """Change one route's limit, e.g. `set_limit("POST /channels/{}/messages", 5, 5)`."""
        self.routes[route] = (limit, per)
        self._buckets = {k: b for k, b in self._buckets.items() if k[0] != route}

    def force(self, route: str, status: int, count: int = 1, **kw: float | bool) -> None:
        """Answer the next `count` requests on `route` ("METHOD /path/{}" or "*") with `status`."""
        queue = self._forced.setdefault(route, deque())
        for _ in range(count):
            queue.append(
                _Forced(status, float(kw.get("retry_after", 0.05)), bool(kw.get("is_global")))
            )

    def check(self, method: str, template: str, params: dict[str, str]) -> Verdict:
        """Decide a request; call once per request before doing its work."""
        route = f"{method.upper()} {template}"
        for key in (route, "*"):
            queue = self._forced.get(key)
            if queue:
                forced = queue.popleft()
                if forced.status == 429:
                    return self._refuse(route, forced.retry_after, forced.is_global, "user")
                body = {"message": "500: Internal Server Error", "code": 0}
                return Verdict(status=forced.status, body=body)
        now = self._now()
        if not template.startswith(("/interactions/", "/webhooks/{}/{}")):
            refused = self._take(self._global, now)
            if refused is not None:
                return self._refuse(route, refused, True, "global")
        limit = self.routes.get(route)
        if limit is None:
            return Verdict()
        major = next((params[p] for p in MAJOR_PARAMS if p in params), "")
        bucket = self._buckets.setdefault((route, major), _Bucket(*limit))
        refused = self._take(bucket, now)
        if refused is not None:
            return self._refuse(route, refused, False, "user", bucket)
        return Verdict(headers=self._headers(route, bucket, now))

    @staticmethod
    def _take(bucket: _Bucket, now: float) -> float | None:
        """Spend one request; returns seconds to wait if the bucket is empty."""
        if now >= bucket.reset_at:
            bucket.count, bucket.reset_at = 0, now + bucket.per
        if bucket.count >= bucket.limit:
            return bucket.reset_at - now
        bucket.count += 1
        return None

    def _headers(self, route: str, bucket: _Bucket, now: float) -> dict[str, str]:
        after = max(bucket.reset_at - now, 0.0)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(bucket.limit - bucket.count),
            "X-RateLimit-Reset": f"{time.time() + after:.3f}",
            "X-RateLimit-Reset-After": f"{after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(route.encode()).hexdigest()[:32],
        }

    def _refuse(
        self,
        route: str,
        retry_after: float,
        is_global: bool,
        scope: str,
        bucket: _Bucket | None = None,
    ) -> Verdict:
        retry_after = round(max(retry_after, 0.001), 3)
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Limit": str(bucket.limit if bucket else self.global_limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(route.encode()).hexdigest()[:32],
            "X-RateLimit-Scope": "global" if is_global else scope,
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        }
        return Verdict(headers=headers, status=429, body=body)
