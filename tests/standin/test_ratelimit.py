"""The rate limiter answers like Discord: headers always, 429 with `Via` when a bucket is empty."""

from __future__ import annotations

from standin.ratelimit import RateLimiter

SEND = "/channels/{}/messages"


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_route_bucket_per_channel_and_reset() -> None:
    clock = FakeTime()
    limiter = RateLimiter({"POST " + SEND: (2, 5.0)}, now=clock)
    first = limiter.check("POST", SEND, {"channel_id": "1"})
    assert first.status == 200 and first.headers["X-RateLimit-Remaining"] == "1"
    assert limiter.check("POST", SEND, {"channel_id": "1"}).status == 200
    refused = limiter.check("POST", SEND, {"channel_id": "1"})
    assert refused.status == 429
    assert refused.headers["Via"] == "1.1 google" and refused.headers["X-RateLimit-Scope"] == "user"
    assert refused.body == {
        "message": "You are being rate limited.",
        "retry_after": 5.0,
        "global": False,
    }
    assert limiter.check("POST", SEND, {"channel_id": "2"}).status == 200
    clock.now += 5
    assert limiter.check("POST", SEND, {"channel_id": "1"}).status == 200


def test_global_limit_spares_interaction_responses() -> None:
    limiter = RateLimiter({}, global_limit=2, now=FakeTime())
    for _ in range(2):
        assert limiter.check("GET", "/users/@me", {}).status == 200
    refused = limiter.check("GET", "/users/@me", {})
    assert refused.status == 429 and refused.body is not None and refused.body["global"] is True
    assert refused.headers["X-RateLimit-Global"] == "true"
    assert limiter.check("POST", "/interactions/{}/{}/callback", {}).status == 200
    assert limiter.check("POST", "/webhooks/{}/{}", {}).status == 200


def test_forced_answers_come_first_and_run_out() -> None:
    limiter = RateLimiter()
    limiter.force("*", 502, count=1)
    limiter.force("POST " + SEND, 429, count=1, retry_after=0.5, is_global=True)
    assert limiter.check("POST", SEND, {}).status == 429
    assert limiter.check("GET", "/users/@me", {}).status == 502
    assert limiter.check("GET", "/users/@me", {}).status == 200
