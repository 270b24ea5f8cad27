"""A projection over several Kafka topics: offsets per topic-partition, dead letters, rebuild."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore
from llmops_runtime.projections import (
    Projection,
    ProjectionRunner,
    rebuild_projections,
    source_topics,
)
from llmops_runtime.relay import OutboxRelay, ensure_topics, idempotent_producer
from llmops_testing.sample import POISON_AMOUNT, Tally, tally_projection

pytestmark = pytest.mark.stack


async def relay_all(pool: asyncpg.Pool, store: EventStore, topic: str, bootstrap: str) -> None:
    """Publish the whole store to topic once."""
    relay = OutboxRelay(pool, store.schema, topic, bootstrap)
    producer = idempotent_producer(bootstrap)
    await producer.start()
    try:
        async with pool.acquire() as conn:
            await relay.relay_batch(conn, producer)
    finally:
        await producer.stop()


@pytest.fixture
async def two_topics(kafka_bootstrap: str) -> tuple[str, str]:
    names = tuple(f"llmops.t{uuid.uuid4().hex[:10]}.events" for _ in range(2))
    await ensure_topics(kafka_bootstrap, list(names), partitions=2)
    return names[0], names[1]


@pytest.fixture
async def second_store(pool: asyncpg.Pool) -> EventStore:
    created = EventStore(pool, f"svc_{uuid.uuid4().hex[:10]}")
    await created.create()
    return created


def many(topics: tuple[str, str], name: str = "tally_totals") -> Projection:
    """The sample projection reading both topics (`topic` None, `topics` given)."""
    return dataclasses.replace(tally_projection(None, name), topics=topics)


def test_the_topics_of_a_projection_are_its_topic_then_its_topics() -> None:
    one = tally_projection("a")
    assert source_topics(one) == ("a",)
    assert source_topics(dataclasses.replace(one, topics=("b", "a"))) == ("a", "b")
    assert source_topics(tally_projection(None)) == ()


async def test_a_projection_reads_every_topic_and_tracks_each_partition(
    pool: asyncpg.Pool,
    store: EventStore,
    second_store: EventStore,
    two_topics: tuple[str, str],
    kafka_bootstrap: str,
    kit,
) -> None:
    await kit.save_tallies(store, 3)
    await relay_all(pool, store, two_topics[0], kafka_bootstrap)
    other = Tally("other", uuid.uuid4())
    other.increment(7)
    other.increment(POISON_AMOUNT)  # parked, never blocks the other topic
    await second_store.save(other)
    await relay_all(pool, second_store, two_topics[1], kafka_bootstrap)

    projection = many(two_topics)
    runner = ProjectionRunner(
        pool, store.schema, projection, bootstrap=kafka_bootstrap, poll_interval_s=0.2
    )
    task = asyncio.create_task(runner.run())
    try:
        # 3 tallies x 2 increments from the first topic, the other's valid increment.
        await kit.wait_for_rows(pool, store.schema, rows=4, increments=7)
    finally:
        await kit.stop(task)
    tracked = await pool.fetch(
        f"SELECT topic, partition, next_offset FROM {store.schema}.projection_offsets"
        " WHERE projection = 'tally_totals'"
    )
    assert {r["topic"] for r in tracked} == set(two_topics)
    assert sum(r["next_offset"] for r in tracked) == 9 + 3  # every record read, once
    parked = await pool.fetch(f"SELECT topic FROM {store.schema}.projection_dead_letters")
    assert [r["topic"] for r in parked] == [two_topics[1]]
    assert runner.dead_letter_topic == f"llmops.{store.schema}.tally_totals.dlq"

    live = await kit.totals(pool, store.schema)
    counts = await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
    assert counts == {"tally_totals": 12}
    assert await kit.totals(pool, store.schema) == live

    # After the rebuild, a new event on either topic is applied once, from the stored offsets.
    await kit.save_tallies(second_store, 1, increments=1)
    await relay_all(pool, second_store, two_topics[1], kafka_bootstrap)
    runner = ProjectionRunner(
        pool, store.schema, projection, bootstrap=kafka_bootstrap, poll_interval_s=0.2
    )
    task = asyncio.create_task(runner.run())
    try:
        await kit.wait_for_rows(pool, store.schema, rows=5, increments=8)
    finally:
        await kit.stop(task)
