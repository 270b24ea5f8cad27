"""Reads of the global log are bounded by bytes as well as rows, on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore, iterate_after, read_after
from llmops_runtime.eventstore.records import StoredRecord
from llmops_runtime.eventstore.verify import verify_chain
from llmops_runtime.projections.sources import StoreSource
from llmops_runtime.relay import OutboxRelay
from llmops_runtime.relay.publisher import idempotent_producer
from llmops_testing.sample import Tally

pytestmark = pytest.mark.stack

KIB = 1024


def _size(records: list[StoredRecord]) -> int:
    return sum(len(r.payload_json.encode()) + len(r.metadata_json.encode()) for r in records)


async def _big_tallies(store: EventStore, count: int, name_bytes: int) -> None:
    for i in range(count):
        await store.save(Tally(f"{i:04d}" + "x" * name_bytes, uuid.uuid4()))


async def test_a_batch_stops_before_the_byte_cap_and_a_walk_sees_every_row_once(
    store: EventStore, pool: asyncpg.Pool
) -> None:
    await _big_tallies(store, 20, 100 * KIB)
    first = await read_after(pool, store.schema, 0, 1000, max_bytes=350 * KIB)
    assert len(first) == 3  # a fourth ~100 KiB row would exceed 350 KiB
    assert _size(first) <= 350 * KIB
    seen: list[int] = []
    async for batch in iterate_after(pool, store.schema, 0, batch_size=1000, max_bytes=350 * KIB):
        assert _size(batch) <= 350 * KIB
        seen += [r.position for r in batch]
    assert seen == list(range(1, 21))
    # The row cap still applies when rows are small.
    assert len(await read_after(pool, store.schema, 0, 2, max_bytes=10**9)) == 2


async def test_a_row_larger_than_the_cap_comes_alone_so_readers_move_on(
    store: EventStore, pool: asyncpg.Pool
) -> None:
    await _big_tallies(store, 3, 200 * KIB)
    batches = [
        [r.position for r in batch]
        async for batch in iterate_after(pool, store.schema, 0, max_bytes=50 * KIB)
    ]
    assert batches == [[1], [2], [3]]


async def test_default_reads_of_relay_runner_and_verify_are_byte_bounded(
    store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str
) -> None:
    # 12 events of ~700 KiB: 8 MiB in all, above the 4 MiB default cap per batch.
    await _big_tallies(store, 12, 700 * KIB)
    source = StoreSource(pool, store.schema, batch_size=1000, poll_interval_s=0.1)
    await source.start({})
    try:
        batch = await source.next_batch()
    finally:
        await source.stop()
    assert len(batch) == 5  # 5 x 700 KiB fit in 4 MiB, 6 do not

    relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, batch_size=1000)
    producer = idempotent_producer(kafka_bootstrap)
    await producer.start()
    try:
        async with pool.acquire() as conn:
            sent = await asyncio.wait_for(relay.relay_batch(conn, producer), 60)
    finally:
        await asyncio.wait_for(producer.stop(), 30)
    assert sent == 5

    assert await verify_chain(pool, store.schema) is None


async def test_the_relay_reads_on_at_once_after_a_batch_cut_by_bytes(
    store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
) -> None:
    await _big_tallies(store, 12, 700 * KIB)
    # A long poll interval: a backlog cut into byte-capped batches must not wait for it.
    relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=60)
    task = asyncio.create_task(relay.run())
    try:
        records = await kit.read_topic(kafka_bootstrap, topic, 12, timeout_s=15)
    finally:
        await kit.stop(task)
    assert sorted(int(dict(r.headers)["position"]) for r in records) == list(range(1, 13))
