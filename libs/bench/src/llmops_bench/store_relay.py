"""Relay latency: commit to broker acknowledgement at a steady offered rate."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
import uuid
from collections.abc import Sequence

import asyncpg

from llmops_runtime.eventstore import EventStore, StoredRecord
from llmops_runtime.relay import OutboxRelay, ensure_topics
from llmops_testing.sample import Tally


async def relay_latency_ms(
    pool: asyncpg.Pool, bootstrap: str, *, rate: int, seconds: float
) -> tuple[float, float]:
    """Append `rate` events/s for `seconds` while the relay runs; p50 and p99 in ms."""
    schema = f"bench_relay_{uuid.uuid4().hex[:8]}"
    topic = f"llmops.{schema}.events"
    await ensure_topics(bootstrap, [topic], partitions=3)
    store = EventStore(pool, schema)
    await store.create()
    committed: dict[int, float] = {}
    acked: dict[int, float] = {}
    total = int(rate * seconds)
    all_acked = asyncio.Event()

    def on_published(records: Sequence[StoredRecord]) -> None:
        now = time.perf_counter()
        for r in records:
            acked[r.position] = now
        if len(acked) >= total:
            all_acked.set()

    relay = OutboxRelay(pool, schema, topic, bootstrap, on_published=on_published)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(1.0)  # leadership and producer start are not part of the figure
        owner = uuid.uuid4()
        started = time.perf_counter()
        for i in range(total):
            # Offer a steady rate: wait for this event's slot, never catching up in bursts.
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            async with pool.acquire() as conn:
                async with conn.transaction():
                    positions = await store.append(conn, store.encode([Tally(f"r{i}", owner)]))
                committed[positions[0]] = time.perf_counter()
        await asyncio.wait_for(all_acked.wait(), 30)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        async with pool.acquire() as conn:
            await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    latencies = sorted(max(0.0, acked[p] - t) * 1000 for p, t in committed.items())
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return statistics.median(latencies), p99
