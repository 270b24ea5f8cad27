"""Baseline: the eventsourcing library's own PostgreSQL Application, one save per event."""

from __future__ import annotations

import time
import uuid
from urllib.parse import unquote, urlparse

import psycopg
from eventsourcing.application import Application

from llmops_runtime.sample import Tally


def _library_env(database_url: str, schema: str) -> dict[str, str]:
    url = urlparse(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.path.lstrip("/"),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_SCHEMA": schema,
        "CREATE_TABLE": "y",
    }


def library_append_eps(database_url: str, events: int) -> float:
    """Save `events` single-event aggregates one at a time (blocking: run it in a thread)."""
    schema = f"bench_lib_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # the library creates tables, not schemas
    app: Application[uuid.UUID] = Application(env=_library_env(database_url, schema))
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
