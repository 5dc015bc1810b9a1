"""The bot: wiring only. Features live in cogs (Discord side) and services (logic)."""

from __future__ import annotations

import asyncio
import logging
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

import cogs
from bot.callback_retries import quick_callback_retries
from bot.clock import Clock, SystemClock
from bot.composition import Services, compose
from bot.config import Settings
from bot.content import Content, load_content
from bot.content.loader import default_seeds_dir
from bot.db import Storage, open_storage
from bot.db.shards import ShardSet
from bot.direct_clicks import DirectClicks, route_direct_clicks
from bot.errors import report_error
from bot.http_tuning import amortise_bucket_scan
from bot.i18n import current_locale
from bot.i18n.commands import CatalogTranslator
from bot.i18n.interactions import follow_interaction_locale
from bot.identify import IdentifyGate
from bot.keyed_secret import guard_secret
from bot.logs import quiet_payload_loggers
from bot.metrics import Metrics
from bot.scheduling import Dispatcher
from bot.sending import PacedSender
from bot.services.excerpts import ExcerptLibrary
from bot.services.lifecycle import DataLifecycle, ServerSettingsData
from bot.services.privacy import KeyedHasher, PersonalDataRegistry
from bot.unrouted import answer_unrouted_clicks

if TYPE_CHECKING:
    from cogs.discussions._components import DiscussionServices
    from cogs.prompts._feature import PromptsFeature
    from cogs.selfcheck._feature import SelfCheckFeature

log = logging.getLogger(__name__)


def discover_cogs() -> list[str]:
    """Every module or package directly under `cogs/` is an extension."""
    return sorted(
        f"cogs.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


class MutualBot(commands.AutoShardedBot):
    """Sharded from the start: one process runs the shards MUTUAL_SHARDS names (all by default),
    so a bot past 2,500 servers, or past one machine, is a setting rather than a rewrite."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        content: Content | None = None,
        start_timers: bool = True,
    ) -> None:
        quiet_payload_loggers()
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            # Nothing the bot posts pings anyone unless a message opts in explicitly.
            allowed_mentions=discord.AllowedMentions.none(),
            max_messages=None,
            shard_count=settings.shard_count,
            # None (every shard) is what discord.py does without the option; its stubs say list.
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,  # type: ignore[arg-type]
        )
        self.settings = settings
        self.identify_gate = IdentifyGate()
        self.clock: Clock = clock or SystemClock()
        self.hasher = KeyedHasher(settings.secret)
        self.personal_data = PersonalDataRegistry()
        self.dispatcher = Dispatcher(self.clock)
        self.direct_clicks = DirectClicks()
        """Buttons answered from their custom id alone (`bot.direct_clicks`); features add theirs."""
        self.metrics = Metrics()
        self._health: Any = None
        self.sender = PacedSender(settings.send_rate_per_second, settings.send_concurrency)
        self._preloaded_content = content
        self._start_timers = start_timers
        self._services: Services | None = None
        # Each feature's services, set when its extension loads: what its dynamic items, rebuilt
        # from a custom id on every click, and the other features reach it through.
        self.prompts: PromptsFeature | None = None
        self.selfcheck: SelfCheckFeature | None = None
        self.discussions: DiscussionServices | None = None
        self._db: Storage | None = None
        self._content: Content | None = None
        self.due_work_ran = asyncio.Event()
        """Set once the work that fell due while the bot was away has been handed on (after
        READY): what a restart test waits for before it drains the send queue."""
        self._lifecycle: DataLifecycle | None = None
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self.tree.interaction_check = self._command_started  # type: ignore[method-assign]

    @property
    def due_shards(self) -> ShardSet | None:
        """The shards whose servers' due work this process does; None for every server."""
        count, ids = self.settings.shard_count, self.settings.shard_ids
        if count is None or ids is None or len(ids) == count:
            return None
        return ShardSet(count, ids)

    async def launch_shards(self) -> None:
        """Read GET /gateway/bot once for the recommended shard count and the session start
        limit (which discord.py drops), then let discord.py launch the shards one by one."""
        if self.is_closed():
            return
        recommended, _, limits = await self.http.get_bot_gateway()
        self.identify_gate.update(limits)
        if self.shard_count is None:
            self.shard_count = recommended
        log.info(
            "Running shard(s) %s of %d (max_concurrency %d, %d session start(s) left today)",
            ",".join(map(str, self.shard_ids or range(self.shard_count))),
            self.shard_count,
            self.identify_gate.max_concurrency,
            self.identify_gate.remaining,
        )
        await super().launch_shards()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Instead of discord.py's flat 5 s before every IDENTIFY: Discord's buckets."""
        await self.identify_gate.wait(shard_id)

    @property
    def db(self) -> Storage:
        if self._db is None:
            raise RuntimeError("the database is opened in setup_hook")
        return self._db

    @property
    def lifecycle(self) -> DataLifecycle:
        if self._lifecycle is None:
            raise RuntimeError("the data lifecycle starts in setup_hook")
        return self._lifecycle

    @property
    def content(self) -> Content:
        """The content in the current locale (the member's, or the server's around a public
        post); English where a translation lacks a text."""
        if self._content is None:
            raise RuntimeError("content is loaded in setup_hook")
        return self._content.for_locale(current_locale())

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the shared services are built in setup_hook")
        return self._services

    @property
    def excerpts(self) -> ExcerptLibrary:
        return self.services.excerpts

    async def setup_hook(self) -> None:
        amortise_bucket_scan(self.http)
        quick_callback_retries()
        answer_unrouted_clicks(self)
        # After: the routes are tried first, then discord.py's views, then the unrouted answer.
        route_direct_clicks(self, self.direct_clicks)
        follow_interaction_locale(self)
        self.metrics.count_components(self)
        await self.tree.set_translator(CatalogTranslator())
        # `python -m bot run` has checked the database's integrity before connecting to Discord.
        self._db = await open_storage(self.settings.database_path, self.settings.database_url)
        applied = await self._db.migrate()
        await guard_secret(self._db, self.settings)
        log.info(
            "Database ready at %s (%d migration(s) applied)", self.settings.database_where, applied
        )
        log.info(
            "Sending at most %.1f request(s)/s (%s)%s",
            self.settings.send_rate_per_second,
            self.settings.send_rate_source,
            "; Discord's 50/s is per token: the processes' MUTUAL_SEND_RATE must add up to less"
            if self.due_shards is not None
            else "",
        )
        self._content = self._preloaded_content or load_content(
            self.settings.content_dir, seeds_dir=default_seeds_dir(self.settings.content_dir)
        )
        self._services = compose(self.content)
        self._lifecycle = DataLifecycle(
            self._db,
            self.personal_data,
            self.clock,
            guild_retention_days=self.settings.guild_retention_days,
            history_retention_days=self.settings.history_retention_days,
        )
        for extension in discover_cogs():
            await self.load_extension(extension)
        self.personal_data.register(ServerSettingsData(self._db))
        log.info("Loaded %d feature modules", len(self.extensions))
        if self.settings.http_port is not None:
            from bot.health import HealthServer

            self.metrics.watch(self)
            self._health = HealthServer(self, self.settings.http_host, self.settings.http_port)
            await self._health.start()
        if self._start_timers:
            await self.dispatcher.start()
            # Due work needs the guild cache (channels, permissions), which fills only after the
            # gateway's READY; what fell due while the bot was away runs then.
            self.add_listener(self._run_due_work, "on_ready")

    async def _run_due_work(self) -> None:
        try:
            await self.dispatcher.tick()
        finally:
            self.due_work_ran.set()

    async def _command_started(self, interaction: discord.Interaction[Any]) -> bool:
        self.metrics.started(interaction)
        return True

    async def on_app_command_completion(
        self, interaction: discord.Interaction[Any], command: Any
    ) -> None:
        self.metrics.finished(interaction, "ok")

    async def _on_tree_error(
        self, interaction: discord.Interaction[Any], error: discord.app_commands.AppCommandError
    ) -> None:
        self.metrics.finished(interaction, "error")
        await report_error(interaction, error)

    async def close(self) -> None:
        """Stop timers first, let queued posts finish briefly, then close Discord and storage."""
        await self.dispatcher.stop()
        await self.sender.cancel()
        if self._health is not None:
            await self._health.stop()
            self._health = None
            self.metrics.unwatch()
        if not hasattr(self, "_AutoShardedClient__queue"):
            # Never started (a script that only built the commands): discord.py's sharded
            # close posts to a queue that only start-up creates.
            self._AutoShardedClient__queue: asyncio.PriorityQueue[Any] = asyncio.PriorityQueue()
        try:
            await super().close()
        finally:
            if self._db is not None:
                await self._db.close()
                self._db = None
        log.info("Shut down cleanly")


def content_root(settings: Settings) -> Path:
    return settings.content_dir
