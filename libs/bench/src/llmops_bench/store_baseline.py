"""Baseline: the eventsourcing library's own PostgreSQL Application, one save per event."""

from __future__ import annotations

import time
import uuid

import psycopg
from eventsourcing.application import Application

from llmops_bench.library_baseline import postgres_env
from llmops_testing.sample import Tally


def library_append_eps(database_url: str, events: int) -> float:
    """Save `events` single-event aggregates one at a time (blocking: run it in a thread)."""
    schema = f"bench_lib_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # the library creates tables, not schemas
    app: Application[uuid.UUID] = Application(env=postgres_env(database_url, schema))
    owner = uuid.uuid4()
    tallies = [Tally(f"lib-{i}", owner) for i in range(events)]
    try:
        started = time.perf_counter()
        for tally in tallies:
            app.save(tally)
        return events / (time.perf_counter() - started)
    finally:
        app.close()
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
