"""A small test service (a counter aggregate) on the real command bus: fixtures for its tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import asyncpg
import pytest
from eventsourcing.domain import Aggregate, event
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from llmops_runtime.auth import AuthSettings, TokenVerifier, issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.commands import (
    CommandBusSettings,
    CommandConsumer,
    CommandRegistry,
    CommandRejected,
    HandlerContext,
)
from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE
from llmops_runtime.commands.consumer import AfterCommitHook
from llmops_runtime.eventstore import EventStore

TEST_KEY = "test-signing-key-that-is-long-enough-for-hs256"
TEST_ISSUER = "llmops-tests"


class Counter(Aggregate):
    """A named counter: the test aggregate."""

    class Opened(Aggregate.Created):
        wire_name: ClassVar[str] = "bus_test.counter.opened"
        name: str

    class Added(Aggregate.Event):
        wire_name: ClassVar[str] = "bus_test.counter.added"
        amount: int

    @staticmethod
    def create_id(name: str) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"counter/{name}")

    @event(Opened)
    def __init__(self, name: str) -> None:
        self.name = name
        self.total = 0

    @event(Added)
    def add(self, amount: int) -> None:
        self.total += amount


class OpenCounter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)


class AddToCounter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    amount: int = Field(gt=0)


class RaceToCounter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    races: int = Field(ge=0, description="How many attempts another writer gets in first.")


def counter_registry(store: EventStore | None = None) -> CommandRegistry:
    """The test service's commands; with a store, also a command that races another writer."""
    # counter_not_found stands for a refusal that depends on another service's lag.
    registry = CommandRegistry(retryable_codes={"counter_not_found"})
    if store is not None:
        _register_race(registry, store)

    @registry.command("bus_test.open_counter", OpenCounter)
    async def open_counter(cmd: OpenCounter, ctx: HandlerContext) -> Sequence[Aggregate]:
        if await ctx.load(Counter.create_id(cmd.name), Counter) is not None:
            raise CommandRejected("counter_exists", f"counter {cmd.name!r} is already open")
        return [Counter(cmd.name)]

    @registry.command("bus_test.add_to_counter", AddToCounter)
    async def add_to_counter(cmd: AddToCounter, ctx: HandlerContext) -> Sequence[Aggregate]:
        counter = await ctx.load(Counter.create_id(cmd.name), Counter)
        if counter is None:
            raise CommandRejected("counter_not_found", f"no counter {cmd.name!r}")
        counter.add(cmd.amount)
        return [counter]

    return registry


RACES: dict[str, int] = {}


def _register_race(registry: CommandRegistry, store: EventStore) -> None:
    @registry.command("bus_test.race_to_counter", RaceToCounter)
    async def race(cmd: RaceToCounter, ctx: HandlerContext) -> Sequence[Aggregate]:
        counter = await ctx.load(Counter.create_id(cmd.name), Counter)
        assert counter is not None
        if RACES.get(cmd.name, 0) < cmd.races:
            # Another instance appends to the same counter after this handler loaded it.
            RACES[cmd.name] = RACES.get(cmd.name, 0) + 1
            rival = await store.load(counter.id, aggregate_type=Counter)
            assert rival is not None
            rival.add(100)
            await store.save(rival)
        counter.add(1)
        return [counter]


def token(actor: str = "alice", *, key: str = TEST_KEY, ttl_s: float = 600) -> str:
    """A token signed with the test key (or another key, to forge one)."""
    return issue_token(actor, key, TEST_ISSUER, ttl_s)


@dataclass
class Bus:
    """The running test service and a client connected to it."""

    service: str
    bootstrap: str
    pool: asyncpg.Pool
    store: EventStore
    client: CommandClient
    consumers: list[tuple[CommandConsumer, asyncio.Task[None]]] = field(default_factory=list)

    async def start_consumer(
        self, after_db_commit: AfterCommitHook | None = None
    ) -> CommandConsumer:
        """Start one more service instance (same group) running in a task."""
        consumer = CommandConsumer(
            self.service,
            self.bootstrap,
            self.store,
            counter_registry(self.store),
            TokenVerifier(AuthSettings(hs256_keys=[SecretStr(TEST_KEY)], issuers=[TEST_ISSUER])),
            settings=CommandBusSettings(partitions=4),
            after_db_commit=after_db_commit,
        )
        await consumer.start()
        self.consumers.append((consumer, asyncio.create_task(consumer.run())))
        return consumer

    async def stop_consumers(self) -> None:
        """Stop every instance (a crashed one's task already ended)."""
        for consumer, task in self.consumers:
            await consumer.stop()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.consumers.clear()

    async def event_count(self) -> int:
        """The domain events stored (the per-batch command audit events aside)."""
        return int(
            await self.pool.fetchval(
                f"SELECT count(*) FROM {self.store.schema}.events WHERE wire_type <> $1",
                AUDIT_WIRE_TYPE,
            )
        )

    async def audited(self) -> list[dict[str, Any]]:
        """Every entry of the stored audit events, in commit order."""
        rows = await self.pool.fetch(
            f"SELECT payload::text FROM {self.store.schema}.events WHERE wire_type = $1"
            " ORDER BY position",
            AUDIT_WIRE_TYPE,
        )
        return [c for r in rows for c in json.loads(r[0])["commands"]]

    async def audit(self) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.pool.fetch(
            f"SELECT * FROM {self.store.schema}.command_audit ORDER BY id"
        )
        return rows


@pytest.fixture
async def bus(kafka_bootstrap: str, database_url: str, unique_name: str) -> AsyncIterator[Bus]:
    """A test service with one running instance and a started client."""
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    store = EventStore(pool, f"svc_{unique_name}")
    client = CommandClient(kafka_bootstrap, actor_token=token())
    running = Bus(unique_name, kafka_bootstrap, pool, store, client)
    await running.start_consumer()
    await client.start()
    try:
        yield running
    finally:
        await running.stop_consumers()
        await client.stop()
        await pool.close()
