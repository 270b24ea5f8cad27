"""Fixtures for runtime tests on the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord

from llmops_runtime.eventstore import EventMetadata, EventStore
from llmops_testing.sample import Tally


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A small asyncpg pool on the session's PostgreSQL."""
    created = await asyncpg.create_pool(database_url, min_size=1, max_size=8)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
def schema() -> str:
    """A schema name no other test uses."""
    return f"svc_{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def store(pool: asyncpg.Pool, schema: str) -> EventStore:
    """An empty event store in a fresh schema."""
    created = EventStore(pool, schema)
    await created.create()
    return created


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    """A fresh 3-partition events topic and its dead-letter topic."""
    from llmops_runtime.relay import ensure_topics

    name = f"llmops.t{uuid.uuid4().hex[:10]}.events"
    await ensure_topics(kafka_bootstrap, [name, f"{name}.dlq"], partitions=3)
    return name


class Kit:
    """Steps shared by the stack tests."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap

    async def read_topic(
        self, bootstrap: str, topic: str, count: int, timeout_s: float = 30.0
    ) -> list[ConsumerRecord[bytes, bytes]]:
        """Read at least count records of topic from its beginning."""
        consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest"
        )
        await consumer.start()
        records: list[ConsumerRecord[bytes, bytes]] = []
        try:
            async with asyncio.timeout(timeout_s):
                while len(records) < count:
                    for batch in (await consumer.getmany(timeout_ms=500)).values():
                        records.extend(batch)
        finally:
            await consumer.stop()
        return records

    async def save_tallies(self, store: EventStore, count: int, increments: int = 2) -> list[Tally]:
        """Save count tallies, the i-th incremented `increments` times by i."""
        tallies = []
        for i in range(count):
            tally = Tally(f"t{i:04d}", uuid.uuid4())
            for _ in range(increments):
                tally.increment(i)
            meta = EventMetadata(actor="bob", traceparent=f"00-{i:032x}-{i:016x}-01")
            await store.save(tally, metadata=meta)
            tallies.append(tally)
        return tallies

    async def stop(self, task: asyncio.Task[None]) -> None:
        """Cancel a background task, failing if it had died on its own."""
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise AssertionError("background task failed") from task.exception()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    async def totals(self, pool: asyncpg.Pool, schema: str) -> list[tuple[str, int, int]]:
        """The sample read model's rows."""
        rows = await pool.fetch(
            f"SELECT name, total, increments FROM {schema}.tally_totals ORDER BY name"
        )
        return [(r[0], r[1], r[2]) for r in rows]

    async def wait_for_rows(
        self, pool: asyncpg.Pool, schema: str, rows: int, increments: int, timeout_s: float = 30
    ) -> None:
        """Wait until the sample read model has rows rows and increments increments."""
        async with asyncio.timeout(timeout_s):
            while True:
                with contextlib.suppress(asyncpg.UndefinedTableError):
                    found = await pool.fetchrow(
                        f"SELECT count(*), coalesce(sum(increments), 0) FROM {schema}.tally_totals"
                    )
                    if found is not None and (found[0], found[1]) == (rows, increments):
                        return
                await asyncio.sleep(0.1)


@pytest.fixture
def kit(kafka_bootstrap: str) -> Kit:
    """Shared test steps."""
    return Kit(kafka_bootstrap)
