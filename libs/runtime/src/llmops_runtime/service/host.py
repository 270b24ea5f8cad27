"""ServiceHost: builds a service's adapters from settings and runs them together."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Coroutine
from typing import Any

import asyncpg
import structlog
import uvicorn

from llmops_runtime.auth import AllowAll, AuthSettings, TokenVerifier
from llmops_runtime.commands import CommandConsumer
from llmops_runtime.commands.audit_events import AUDIT_AGGREGATES
from llmops_runtime.events_topics import (
    EventsTopicSettings,
    check_unlimited_retention,
    ensure_events_topics,
)
from llmops_runtime.eventstore import EventStore, register_event_classes
from llmops_runtime.http import asyncapi_document, create_service_app
from llmops_runtime.http.audit import audit_router
from llmops_runtime.http.read_gate import ReadGate
from llmops_runtime.projections import ProjectionRunner
from llmops_runtime.projections.declaration import source_topics
from llmops_runtime.pruning import RetentionSettings, prune_forever
from llmops_runtime.relay import OutboxRelay, events_topic, idempotent_producer
from llmops_runtime.relay.checkpoints import Checkpointer, ensure_checkpoints_topic
from llmops_runtime.service.definition import ServiceDefinition, ServiceResources
from llmops_runtime.service.migrate import check_migrated
from llmops_runtime.service.settings import ServiceSettings
from llmops_runtime.topics import existing_topics

log = structlog.get_logger("llmops.service")

RESTART_MIN_S = 0.5
RESTART_MAX_S = 30.0
TOPIC_CHECK_INTERVAL_S = 5.0


class ServiceHost:
    """One service process: event store, command consumer, relay, projections and HTTP."""

    def __init__(self, definition: ServiceDefinition, settings: ServiceSettings) -> None:
        self.definition = definition
        self._topic_result: dict[str, bool] | None = None
        self._topic_checked_at = 0.0
        self.settings = settings
        self.pool: asyncpg.Pool | None = None
        self.resources: ServiceResources | None = None
        self.components: list[Any] = []
        self.relay: OutboxRelay | None = None
        self.runners: list[ProjectionRunner] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._server: uvicorn.Server | None = None
        self._http_task: asyncio.Task[None] | None = None
        self._failing: set[str] = set()
        self.topics: list[str] = []
        self._read_gate: ReadGate | None = None

    @property
    def http_port(self) -> int:
        """The port the HTTP server listens on (chosen by the OS when configured as 0)."""
        assert self._server is not None and self._server.servers
        return int(self._server.servers[0].sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Check the migrated tables, create topics, start every component, then serve HTTP."""
        definition = self.definition
        # The command audit events every service's store holds beside its own.
        register_event_classes(*definition.event_classes, *AUDIT_AGGREGATES)
        self.pool = await asyncpg.create_pool(
            self.settings.database_url,
            min_size=self.settings.pool_min_size,
            max_size=self.settings.pool_max_size,
            command_timeout=self.settings.pool_command_timeout_s,
        )
        store = EventStore(self.pool, definition.schema)
        # The service role has no DDL rights: the owner's `llmops db migrate` made the tables.
        async with self.pool.acquire() as conn:
            await check_migrated(conn, definition.schema, definition.projections)
        self.resources = ServiceResources(definition.name, definition.schema, self.pool, store)
        verifier = TokenVerifier(AuthSettings())
        authorizer = (
            definition.build_authorizer(self.resources) if definition.build_authorizer else None
        ) or AllowAll()
        # Reads pass the same verifier and role bindings as commands (one decision cache).
        self._read_gate = ReadGate(verifier, authorizer)
        consumer = CommandConsumer(
            definition.name,
            self.settings.kafka_bootstrap_servers,
            store,
            definition.build_commands(self.resources),
            verifier,
            authorizer=authorizer,
            create_tables=False,
        )
        self.components = [consumer]
        await self._start_relay_and_projections()
        for component in self.components:
            await component.start()
            self._spawn("commands", component.run)
        for task in definition.build_tasks(self.resources):
            self._spawn(f"task:{task.name}", task.run)
        await self._start_pruning()
        await self._serve_http()
        log.info("service_started", service=definition.name, http_port=self.http_port)

    async def _start_relay_and_projections(self) -> None:
        """The relay publishes the store; each projection's tables exist before HTTP serves."""
        assert self.pool is not None
        bootstrap = self.settings.kafka_bootstrap_servers
        own_topic = events_topic(self.definition.name)
        consumed = {t for p in self.definition.projections for t in source_topics(p)}
        self.topics = [own_topic, *sorted(consumed - {own_topic})]
        limits = EventsTopicSettings()
        # Consumed topics may belong to services not started yet; the owner finds them made.
        await ensure_events_topics(bootstrap, self.topics, limits)
        # An existing topic may predate these settings: refuse one that would delete history,
        # and refuse at append any event larger than the topic (or the producer) accepts.
        configs = await check_unlimited_retention(bootstrap, own_topic)
        topic_limit = int(configs.get("max.message.bytes", limits.max_message_bytes))
        assert self.resources is not None
        self.resources.store.max_event_bytes = min(topic_limit, limits.max_message_bytes)
        checkpointer = Checkpointer.from_settings(self.definition.schema, own_topic)
        if checkpointer is not None:
            await ensure_checkpoints_topic(bootstrap, own_topic)
        self.relay = OutboxRelay(
            self.pool,
            self.definition.schema,
            own_topic,
            bootstrap,
            producer_factory=lambda: idempotent_producer(
                bootstrap, max_request_size=limits.max_message_bytes
            ),
            checkpointer=checkpointer,
            publication=self.definition.publication(),
        )
        self._spawn("relay", self.relay.run)
        for projection in self.definition.projections:
            runner = ProjectionRunner(
                self.pool,
                self.definition.schema,
                projection,
                bootstrap=bootstrap,
                create_tables=False,
            )
            self.runners.append(runner)
            self._spawn(f"projection:{projection.name}", runner.run)

    async def _start_pruning(self) -> None:
        """Delete stored command results and processed ids past their retention window."""
        pool = self.pool
        assert pool is not None
        schema, retention = self.definition.schema, RetentionSettings()
        # The tables and the index come from `llmops db migrate`; the role only deletes rows.
        self._spawn("pruning", lambda: prune_forever(pool, schema, retention))

    def _spawn(self, name: str, run: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run a component in the background, restarting it with backoff if it fails."""
        self._tasks.append(asyncio.create_task(self._supervise(name, run), name=name))

    async def _supervise(self, name: str, run: Callable[[], Coroutine[Any, Any, None]]) -> None:
        # Components keep their state in PostgreSQL and Kafka, so a fresh run() resumes
        # where the failed one stopped; readiness is false until it runs again.
        pause = RESTART_MIN_S
        while True:
            started = time.monotonic()
            try:
                await run()
                return
            except Exception:
                self._failing.add(name)
                log.exception("component_failed", component=name, service=self.definition.name)
            if time.monotonic() - started > RESTART_MAX_S:
                pause = RESTART_MIN_S  # it had been running a while: not a crash loop
            await asyncio.sleep(pause)
            pause = min(pause * 2, RESTART_MAX_S)
            self._failing.discard(name)
            log.info("component_restarting", component=name, service=self.definition.name)

    async def _serve_http(self) -> None:
        assert self.resources is not None
        definition = self.definition
        app = create_service_app(
            definition.name,
            readiness=self.readiness,
            routers=[
                *definition.build_routers(self.resources),
                audit_router(self.resources.pool, definition.schema),
            ],
            asyncapi=asyncapi_document(
                definition.name,
                definition.version,
                definition.command_contracts,
                definition.public_event_contracts(),
                definition.consumed_event_contracts,
            ),
            read_gate=self._read_gate,  # set in start(), before HTTP serves
        )
        config = uvicorn.Config(
            app,
            host=self.settings.http_host,
            port=self.settings.http_port,
            log_config=None,
            access_log=False,
        )
        self._server = uvicorn.Server(config)
        self._http_task = asyncio.create_task(self._server.serve())
        self._tasks.append(self._http_task)
        while not self._server.started:
            if self._http_task.done():
                self._http_task.result()
            await asyncio.sleep(0.02)

    async def readiness(self) -> dict[str, bool]:
        """The database answers and every background task is still running."""
        checks = {"database": False}
        checks.update(
            {
                t.get_name(): not t.done() and t.get_name() not in self._failing
                for t in self._tasks
                if t is not self._http_task
            }
        )
        if self.pool is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    checks["database"] = await self.pool.fetchval("SELECT true") is True
        refused = self.relay.refused if self.relay is not None else None
        if refused is not None:
            checks["relay"] = False
            checks[f"relay_refused_event_at_position_{refused.envelope.position}"] = False
        checks.update(await self._topic_checks())
        return checks

    async def _topic_checks(self) -> dict[str, bool]:
        """`topic:<name>` per events topic the service writes or reads: does it exist.

        Probes poll /readyz every few seconds; the broker is asked at most every
        TOPIC_CHECK_INTERVAL_S, so readiness costs no admin connection per request.
        """
        now = time.monotonic()
        if self._topic_result is not None and now - self._topic_checked_at < TOPIC_CHECK_INTERVAL_S:
            return self._topic_result
        self._topic_checked_at = now
        self._topic_result = await self._ask_topics()
        return self._topic_result

    async def _ask_topics(self) -> dict[str, bool]:
        try:
            async with asyncio.timeout(2):
                found = await existing_topics(self.settings.kafka_bootstrap_servers)
        except Exception:
            return {"kafka": False}  # the broker does not answer: no topic can be told missing
        missing = [t for t in self.topics if t not in found]
        if missing:
            log.warning("events_topic_missing", service=self.definition.name, topics=missing)
        return {f"topic:{t}": t in found for t in self.topics}

    async def stop(self) -> None:
        """Stop HTTP, then components in reverse order, then close the pool."""
        if self._server is not None:
            self._server.should_exit = True
        for component in reversed(self.components):
            with contextlib.suppress(Exception):
                await component.stop()
        # The relay and the runners run until cancelled; their state is in PostgreSQL.
        for task in self._tasks:
            if not task.done() and task is not self._http_task:
                task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 10)
        if self.pool is not None:
            await self.pool.close()
