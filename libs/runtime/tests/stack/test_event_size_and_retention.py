"""Events topics keep history and a size limit; too-large events never reach them or stall."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete

from llmops_runtime.events_topics import (
    EventsTopicSettings,
    FiniteRetention,
    HistoryGone,
    check_unlimited_retention,
    ensure_events_topics,
    topic_configs,
)
from llmops_runtime.eventstore import EventStore, EventTooLarge
from llmops_runtime.projections import rebuild_projections
from llmops_runtime.relay import OutboxRelay
from llmops_runtime.relay.relay import REFUSED_RECORDS
from llmops_runtime.topics import ensure_topics
from llmops_testing.sample import Tally, tally_projection

pytestmark = pytest.mark.stack


def _name() -> str:
    return f"llmops.t{uuid.uuid4().hex[:10]}.events"


class TestEventsTopicCreation:
    async def test_an_events_topic_keeps_history_forever_with_the_configured_limits(
        self, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("LLMOPS_KAFKA_MAX_MESSAGE_BYTES", "2097152")
        topic = _name()
        await ensure_events_topics(kafka_bootstrap, [topic])
        configs = await topic_configs(kafka_bootstrap, topic)
        assert configs["retention.ms"] == "-1"
        assert configs["retention.bytes"] == "-1"
        assert configs["max.message.bytes"] == "2097152"
        assert configs["min.insync.replicas"] == "1"
        assert await check_unlimited_retention(kafka_bootstrap, topic) == configs

    async def test_the_replication_factor_setting_reaches_the_broker(
        self, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The test broker is a single node: a production factor of 3 must be refused by it,
        # which shows the setting is what the topic is created with.
        monkeypatch.setenv("LLMOPS_KAFKA_REPLICATION_FACTOR", "3")
        monkeypatch.setenv("LLMOPS_KAFKA_MIN_INSYNC_REPLICAS", "2")
        assert EventsTopicSettings().replication_factor == 3
        with pytest.raises(RuntimeError, match="creating topics failed"):
            await ensure_events_topics(kafka_bootstrap, [_name()])

    async def test_a_topic_with_finite_retention_is_refused_with_the_fix(
        self, kafka_bootstrap: str
    ) -> None:
        topic = _name()
        await ensure_topics(kafka_bootstrap, [topic], configs={topic: {"retention.ms": "3600000"}})
        with pytest.raises(FiniteRetention) as refused:
            await check_unlimited_retention(kafka_bootstrap, topic)
        assert topic in str(refused.value)
        assert "retention.ms=3600000" in str(refused.value)
        assert "retention.ms=-1" in str(refused.value)


class TestEventSize:
    async def test_an_event_too_large_for_the_topic_is_refused_before_commit(
        self, pool: asyncpg.Pool, schema: str
    ) -> None:
        store = EventStore(pool, schema, max_event_bytes=64 * 1024)
        await store.create()
        await store.save(Tally("small", uuid.uuid4()))
        with pytest.raises(EventTooLarge) as refused:
            await store.save(Tally("x" * 70_000, uuid.uuid4()))
        assert refused.value.limit == 64 * 1024
        assert refused.value.size > 70_000
        assert len(await store.read_after(0)) == 1  # nothing of the large one was written

    async def test_a_record_the_broker_refuses_halts_the_relay_and_says_where(
        self, pool: asyncpg.Pool, store: EventStore, kafka_bootstrap: str, kit
    ) -> None:
        topic = _name()
        await ensure_topics(
            kafka_bootstrap, {topic: 1}, configs={topic: {"max.message.bytes": "4096"}}
        )
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        before = REFUSED_RECORDS.labels(topic)._value.get()
        try:
            await store.save(Tally("fits", uuid.uuid4()))
            await kit.read_topic(kafka_bootstrap, topic, 1)
            await store.save(Tally("y" * 8000, uuid.uuid4()), Tally("after", uuid.uuid4()))
            async with asyncio.timeout(20):
                while relay.refused is None:  # noqa: ASYNC110 - polled state, no event to await
                    await asyncio.sleep(0.1)
            await asyncio.sleep(2)  # no retry loop: still refused once, still running
            assert not task.done()
            assert REFUSED_RECORDS.labels(topic)._value.get() == before + 1
        finally:
            await kit.stop(task)
        assert relay.refused.envelope.position == 2
        assert "position 2" in str(relay.refused)
        stored = await pool.fetchval(
            f"SELECT position FROM {store.schema}.relay_position WHERE topic = $1", topic
        )
        assert stored == 1
        assert len(await kit.read_topic(kafka_bootstrap, topic, 1)) == 1


class TestRebuildNeedsFullHistory:
    async def test_a_rebuild_from_a_topic_that_lost_its_start_is_refused(
        self, pool: asyncpg.Pool, store: EventStore, kafka_bootstrap: str, kit
    ) -> None:
        topic = _name()
        await ensure_events_topics(kafka_bootstrap, [topic], partitions=1)
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        projection = tally_projection(topic)
        try:
            await kit.save_tallies(store, 2)  # 6 events
            await kit.read_topic(kafka_bootstrap, topic, 6)
        finally:
            await kit.stop(task)
        await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
        live = await kit.totals(pool, store.schema)
        assert len(live) == 2
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            await admin.delete_records({TopicPartition(topic, 0): RecordsToDelete(2)})
        finally:
            await admin.close()
        with pytest.raises(HistoryGone) as refused:
            await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
        assert "partition 0 starts at offset 2" in str(refused.value)
        assert "llmops events replay" in str(refused.value)
        assert await kit.totals(pool, store.schema) == live  # the live tables are untouched
