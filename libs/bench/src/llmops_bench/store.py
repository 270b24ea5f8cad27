"""`llmops bench store`: append, tail, rebuild and relay figures on the local stack."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg

from llmops_bench.store_baseline import library_append_eps
from llmops_bench.store_relay import relay_latency_ms
from llmops_runtime.eventstore import EventStore, iterate_after
from llmops_runtime.projections import rebuild_projections
from llmops_testing.sample import Tally, tally_projection

GOALS = {
    "append_eps_batch100": 20_000.0,
    "tail_read_eps": 200_000.0,
    "rebuild_eps": 50_000.0,
    "relay_p99_ms": 50.0,
}


async def _append_eps(store: EventStore, batch: int, events: int) -> float:
    owner = uuid.uuid4()
    tallies = [Tally(f"b{batch}-{i}", owner) for i in range(events)]
    started = time.perf_counter()
    for start in range(0, events, batch):
        async with store.pool.acquire() as conn, conn.transaction():
            await store.append(conn, store.encode(tallies[start : start + batch]))
    return events / (time.perf_counter() - started)


async def _tail_read_eps(store: EventStore) -> float:
    count = 0
    started = time.perf_counter()
    async with store.pool.acquire() as conn:
        async for records in iterate_after(conn, store.schema, 0, batch_size=10_000):
            count += len(records)
    return count / (time.perf_counter() - started)


async def _rebuild_eps(store: EventStore) -> float:
    started = time.perf_counter()
    counts = await rebuild_projections(store.pool, store.schema, [tally_projection(None)])
    return sum(counts.values()) / (time.perf_counter() - started)


async def run_store_benchmark(database_url: str, kafka_bootstrap: str) -> dict[str, float]:
    """Measure the event store on one PostgreSQL and Kafka; keys as in issue 3 (events/s, ms)."""
    schema = f"bench_store_{uuid.uuid4().hex[:8]}"
    pool = await asyncpg.create_pool(database_url, min_size=2, max_size=4)
    try:
        store = EventStore(pool, schema)
        await store.create()
        results: dict[str, float] = {
            "append_eps_batch1": await _append_eps(store, 1, 2_000),
            "append_eps_batch10": await _append_eps(store, 10, 10_000),
            "append_eps_batch100": await _append_eps(store, 100, 60_000),
        }
        results["library_append_eps_batch1"] = await asyncio.to_thread(
            library_append_eps, database_url, 2_000
        )
        results["tail_read_eps"] = await _tail_read_eps(store)
        results["rebuild_eps"] = await _rebuild_eps(store)
        p50, p99 = await relay_latency_ms(pool, kafka_bootstrap, rate=1_000, seconds=5.0)
        results["relay_p50_ms"], results["relay_p99_ms"] = p50, p99
        return results
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await pool.close()


def goals_met(results: dict[str, Any]) -> dict[str, bool]:
    """Which goals of issue 3 the figures meet."""
    met = {k: results[k] >= v for k, v in GOALS.items() if k != "relay_p99_ms"}
    met["relay_p99_ms"] = results["relay_p99_ms"] <= GOALS["relay_p99_ms"]
    met["append_batch100_vs_library"] = (
        results["append_eps_batch100"] >= 10 * results["library_append_eps_batch1"]
    )
    return met
