"""The eventsourcing library's own PostgreSQL Application running the same Tally logic."""

from __future__ import annotations

import time
import uuid
from urllib.parse import unquote, urlparse

import psycopg
from eventsourcing.application import Application

from llmops_testing.sample import Tally


def postgres_env(database_url: str, schema: str) -> dict[str, str]:
    """The library's POSTGRES_* settings for a postgresql:// URL."""
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


def library_commands_per_s(database_url: str, duration_s: float) -> float:
    """Open tallies one command at a time (one save each) for duration_s; return commands/s."""
    schema = f"bench_lib_{uuid.uuid4().hex[:8]}"
    # The library creates its tables but not the schema they live in.
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    app: Application[uuid.UUID] = Application(env=postgres_env(database_url, schema))
    owner = uuid.uuid4()
    count = 0
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < duration_s:
            app.save(Tally(f"t{count}", owner))
            count += 1
        return count / (time.perf_counter() - started)
    finally:
        app.close()
