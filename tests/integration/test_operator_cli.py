"""The operator CLI on the real stack: verify the audit chain, replay history to a topic."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer

from llmops_runtime.eventstore import EventMetadata, EventStore, register_event_classes
from llmops_runtime.relay import OutboxRelay, ensure_topics, events_topic
from llmops_runtime.relay.checkpoints import Checkpointer, ensure_checkpoints_topic
from llmops_testing.sample import Tally
from tests.integration.kafka_helpers import read_records

pytestmark = pytest.mark.stack


def llmops(
    kafka: str, database: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka, "DATABASE_URL": database, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "llmops_cli.main", *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
async def schema_with_history(database_url: str, unique_name: str) -> AsyncIterator[str]:
    register_event_classes(Tally)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        store = EventStore(pool, unique_name)
        await store.create()
        for index in range(5):
            tally = Tally(f"tally-{index}", uuid.uuid4())
            tally.increment(index + 1)
            await store.save(tally, metadata=EventMetadata(actor="operator-test"))
        yield unique_name
    finally:
        await pool.close()


async def test_verify_passes_on_an_untouched_log_and_names_an_altered_row(
    kafka_bootstrap: str, database_url: str, schema_with_history: str
) -> None:
    schema = schema_with_history
    clean = llmops(kafka_bootstrap, database_url, "audit", "verify", "--service", schema)
    assert clean.returncode == 0, clean.stderr
    assert "the audit chain verifies" in clean.stdout

    conn = await asyncpg.connect(database_url)
    try:
        # What only a superuser can do: switch the guard off and rewrite history.
        await conn.execute(f"ALTER TABLE {schema}.events DISABLE TRIGGER USER")
        await conn.execute(
            f"UPDATE {schema}.events SET payload = jsonb_set(payload, '{{amount}}', '99')"
            " WHERE position = 6"
        )
        await conn.execute(f"ALTER TABLE {schema}.events ENABLE TRIGGER USER")
    finally:
        await conn.close()
    broken = llmops(kafka_bootstrap, database_url, "audit", "verify", "--service", schema)
    assert broken.returncode == 1
    assert "BROKEN at position 6" in broken.stderr


async def test_verify_compares_the_chain_with_the_topic_and_signed_checkpoints(
    kafka_bootstrap: str, database_url: str, schema_with_history: str
) -> None:
    schema, key = schema_with_history, "operator-cli-checkpoint-key-not-in-the-database"
    topic = events_topic(schema)
    await ensure_topics(kafka_bootstrap, [topic])
    await ensure_checkpoints_topic(kafka_bootstrap, topic)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        checkpointer = Checkpointer(key, schema, topic, every_events=4, every_s=0.2)
        relay = OutboxRelay(
            pool, schema, topic, kafka_bootstrap, poll_interval_s=0.1, checkpointer=checkpointer
        )
        task = asyncio.create_task(relay.run())
        for _ in range(600):
            if checkpointer.published_position == 10:
                break
            await asyncio.sleep(0.05)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert checkpointer.published_position == 10
        keyed = {"LLMOPS_AUDIT_CHECKPOINT_KEY": key}
        clean = llmops(kafka_bootstrap, database_url, "audit", "verify", "-s", schema, env=keyed)
        assert clean.returncode == 0, clean.stderr
        forged = llmops(
            kafka_bootstrap, database_url, "audit", "verify", "-s", schema,
            env={"LLMOPS_AUDIT_CHECKPOINT_KEY": "a-key-the-relay-never-had"},
        )  # fmt: skip
        assert forged.returncode == 1
        assert "signature does not verify" in forged.stderr
        async with pool.acquire() as conn, conn.transaction():
            # The superuser drops the last rows: what is left still chains perfectly.
            await conn.execute(f"ALTER TABLE {schema}.events DISABLE TRIGGER USER")
            await conn.execute(f"DELETE FROM {schema}.events WHERE position > 7")
            await conn.execute(f"ALTER TABLE {schema}.events ENABLE TRIGGER USER")
    finally:
        await pool.close()
    broken = llmops(kafka_bootstrap, database_url, "audit", "verify", "-s", schema, env=keyed)
    assert broken.returncode == 1
    assert "BROKEN at position 8: rows deleted" in broken.stderr


async def test_replay_republishes_the_whole_history_to_a_new_topic(
    kafka_bootstrap: str, database_url: str, schema_with_history: str, unique_name: str
) -> None:
    topic = f"{unique_name}.replay"
    result = llmops(
        kafka_bootstrap, database_url, "events", "replay", schema_with_history, "--to-topic", topic
    )
    assert result.returncode == 0, result.stderr
    assert "10 events published" in result.stdout
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        records = await read_records(consumer, 10)
    finally:
        await consumer.stop()
    wire_types = sorted(dict(r.headers)["wire_type"].decode() for r in records)
    assert wire_types == [Tally.Incremented.wire_name] * 5 + [Tally.Opened.wire_name] * 5


async def test_replay_from_a_position_sends_only_the_rest(
    kafka_bootstrap: str, database_url: str, schema_with_history: str, unique_name: str
) -> None:
    topic = f"{unique_name}.tail"
    result = llmops(
        kafka_bootstrap, database_url, "events", "replay", schema_with_history,
        "--to-topic", topic, "--from-position", "7",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "4 events published" in result.stdout
