"""Fixtures for runtime tests on the real PostgreSQL and Kafka."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore


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
