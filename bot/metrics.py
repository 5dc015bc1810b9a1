"""What /metrics reports, in Prometheus' text format.

Labels name commands, outcomes, statuses and shards only: never a member, a member's text, a
channel or a server, so a scrape stored for months holds nothing about anyone. Live counts
(interactions, their latency, 429s) are kept as they happen; the rest is read from the bot when
Prometheus scrapes.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import discord
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bot.app import MutualBot

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
STARTED = "mutual_started"
# Discord's answer deadline is 3 s: buckets around it tell "fast", "slow" and "too late" apart.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
_COMPONENT_PREFIX = re.compile(r"[a-z][a-z0-9-]{0,19}")
RATE_LIMITED = "We are being rate limited."
_COUNTED = (
    discord.InteractionType.component.value,
    discord.InteractionType.modal_submit.value,
)
_COUNTING = "_mutual_counts_components"


def component_label(custom_id: str | None) -> str:
    """A button's feature prefix ("sc", "prompt-..."); never the rest, which carries state."""
    prefix = (custom_id or "").split(":", 1)[0]
    return f"component:{prefix}" if _COMPONENT_PREFIX.fullmatch(prefix) else "component:other"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.interactions = Counter(
            "mutual_interactions",
            "Interactions handled, by command and outcome",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mutual_interaction_seconds",
            "From receiving a command to finishing it",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "mutual_discord_rate_limited",
            "429 responses from Discord (discord.py waited and tried again)",
            registry=self.registry,
        )
        self.post_statuses: dict[str, int] = {}
        self._received: dict[str, Any] = {}
        self._live: _LiveCollector | None = None

    # -- interactions ---------------------------------------------------------------------------

    def started(self, interaction: discord.Interaction[Any]) -> None:
        interaction.extras[STARTED] = time.monotonic()

    def finished(self, interaction: discord.Interaction[Any], outcome: str) -> None:
        command = interaction.command
        name = command.qualified_name if command is not None else "unknown"
        self.interactions.labels(name, outcome).inc()
        started = interaction.extras.get(STARTED)
        if isinstance(started, float):
            self.latency.labels(name).observe(time.monotonic() - started)

    def component(self, custom_id: str | None) -> None:
        """A button, select or form received; counted by its feature prefix."""
        label = component_label(str(custom_id or ""))
        counter = self._received.get(label)
        if counter is None:
            # The same few labels on every click: prometheus' lookup of a child by its label
            # values costs more than the count itself.
            counter = self._received[label] = self.interactions.labels(label, "received")
        counter.inc()

    def count_components(self, client: discord.Client) -> None:
        """Count clicks and form submits as their INTERACTION_CREATE is parsed, rather than in
        an `on_interaction` listener, which is a task of its own for every interaction."""
        parsers: dict[str, Callable[[Any], None]] = client._connection.parsers
        original = parsers["INTERACTION_CREATE"]
        if getattr(original, _COUNTING, False):
            return

        def parse(data: Any) -> None:
            if isinstance(data, dict) and data.get("type") in _COUNTED:
                inner = data.get("data")
                self.component(inner.get("custom_id") if isinstance(inner, dict) else None)
            original(data)

        setattr(parse, _COUNTING, True)
        parsers["INTERACTION_CREATE"] = parse

    # -- what is read at scrape time ------------------------------------------------------------

    def watch(self, bot: MutualBot) -> None:
        self._live = _LiveCollector(bot, self)
        self.registry.register(self._live)
        logging.getLogger("discord.http").addFilter(self._count_rate_limits)

    def unwatch(self) -> None:
        logging.getLogger("discord.http").removeFilter(self._count_rate_limits)
        if self._live is not None:
            self.registry.unregister(self._live)
            self._live = None

    def _count_rate_limits(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(RATE_LIMITED):
            self.rate_limited.inc()
        return True

    async def refresh(self, bot: MutualBot) -> None:
        rows = await bot.db.fetchall("SELECT status, COUNT(*) FROM prompt_posts GROUP BY status")
        self.post_statuses = {str(row[0]): int(row[1]) for row in rows}

    def render(self) -> bytes:
        return generate_latest(self.registry)


def shard_latencies(bot: discord.Client) -> list[tuple[str, float, bool]]:
    """(shard, gateway latency in seconds, connected) for each shard this process runs."""
    shards = getattr(bot, "shards", None)
    if isinstance(shards, dict):
        return [
            (str(shard_id), shard.latency, not shard.is_closed())
            for shard_id, shard in shards.items()
        ]
    connected = bot.is_ready() and not bot.is_closed() and bot.ws is not None
    return [(str(bot.shard_id or 0), bot.latency, connected)]


class _LiveCollector(Collector):
    def __init__(self, bot: MutualBot, metrics: Metrics) -> None:
        self.bot = bot
        self.metrics = metrics

    def collect(self) -> Iterator[Any]:
        sends = CounterMetricFamily(
            "mutual_scheduled_sends",
            "Scheduled posts and timer work, by outcome",
            labels=["outcome"],
        )
        for outcome in ("sent", "failed"):
            sends.add_metric([outcome], self.bot.sender.outcomes[outcome])
        yield sends
        posts = GaugeMetricFamily(
            "mutual_prompt_posts",
            "Daily prompt days on record, by status: sent, missed (skipped), failed, claimed",
            labels=["status"],
        )
        for status in ("sent", "missed", "failed", "claimed"):
            posts.add_metric([status], self.metrics.post_statuses.get(status, 0))
        yield posts
        yield GaugeMetricFamily(
            "mutual_send_queue_depth",
            "Scheduled sends waiting or in flight",
            self.bot.sender.pending,
        )
        yield GaugeMetricFamily(
            "mutual_dispatcher_lag_seconds",
            "How late the timer's last tick ran against its alarm",
            self.bot.dispatcher.lag_seconds,
        )
        latency = GaugeMetricFamily(
            "mutual_gateway_latency_seconds", "Heartbeat round trip, per shard", labels=["shard"]
        )
        connected = GaugeMetricFamily(
            "mutual_gateway_connected", "1 while the shard's gateway is connected", labels=["shard"]
        )
        for shard, seconds, is_connected in shard_latencies(self.bot):
            if math.isfinite(seconds):
                latency.add_metric([shard], seconds)
            connected.add_metric([shard], 1.0 if is_connected else 0.0)
        yield latency
        yield connected
