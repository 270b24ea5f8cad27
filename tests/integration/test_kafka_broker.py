"""The real broker and the Kafka client work together: topics, groups, idempotence, transactions."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from tests.integration.kafka_helpers import create_topic, read_records, read_until_quiet

pytestmark = pytest.mark.stack


def group_consumer(bootstrap: str, topic: str, group: str, **options: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **options,
    )


async def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send(topic, value)
        await producer.flush()
    finally:
        await producer.stop()


class TestTopics:
    async def test_a_topic_created_with_the_admin_client_has_its_partitions(
        self, kafka_bootstrap: str, unique_name: str
    ) -> None:
        await create_topic(kafka_bootstrap, unique_name, partitions=3)
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            [description] = await admin.describe_topics([unique_name])
        finally:
            await admin.close()
        assert sorted(p["partition"] for p in description["partitions"]) == [0, 1, 2]

    async def test_the_broker_does_not_create_a_topic_on_first_use(
        self, kafka_bootstrap: str, unique_name: str
    ) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, request_timeout_ms=2000)
        await producer.start()
        try:
            with pytest.raises((KafkaError, TimeoutError)):
                await asyncio.wait_for(producer.send_and_wait(unique_name, b"x"), timeout=4)
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap)
        await consumer.start()
        try:
            assert unique_name not in await consumer.topics()
        finally:
            await consumer.stop()


class TestConsumerGroups:
    async def test_a_restarted_consumer_resumes_from_its_committed_offset(
        self, kafka_bootstrap: str, unique_name: str
    ) -> None:
        await create_topic(kafka_bootstrap, unique_name)
        await produce(kafka_bootstrap, unique_name, [f"m{i}".encode() for i in range(6)])

        first = group_consumer(kafka_bootstrap, unique_name, unique_name)
        await first.start()
        try:
            records = await read_records(first, 3)
            assert [r.value for r in records] == [b"m0", b"m1", b"m2"]
            await first.commit({TopicPartition(unique_name, 0): records[-1].offset + 1})
        finally:
            await first.stop()

        second = group_consumer(kafka_bootstrap, unique_name, unique_name)
        await second.start()
        try:
            assert await read_until_quiet(second) == [b"m3", b"m4", b"m5"]
        finally:
            await second.stop()


class TestIdempotentProducer:
    async def test_an_idempotent_producer_with_acks_all_delivers_in_order(
        self, kafka_bootstrap: str, unique_name: str
    ) -> None:
        await create_topic(kafka_bootstrap, unique_name)
        producer = AIOKafkaProducer(
            bootstrap_servers=kafka_bootstrap, enable_idempotence=True, acks="all"
        )
        await producer.start()
        try:
            sent = [await producer.send(unique_name, f"v{i}".encode(), key=b"k") for i in range(50)]
            metadata = await asyncio.gather(*sent)
        finally:
            await producer.stop()
        assert [m.offset for m in metadata] == list(range(50))

        consumer = group_consumer(kafka_bootstrap, unique_name, unique_name)
        await consumer.start()
        try:
            values = [r.value for r in await read_records(consumer, 50)]
        finally:
            await consumer.stop()
        assert values == [f"v{i}".encode() for i in range(50)]


class TestTransactions:
    async def test_committed_output_and_offsets_are_visible_and_aborted_output_is_not(
        self, kafka_bootstrap: str, unique_name: str
    ) -> None:
        source, sink = f"{unique_name}.in", f"{unique_name}.out"
        await create_topic(kafka_bootstrap, source)
        await create_topic(kafka_bootstrap, sink)
        await produce(kafka_bootstrap, source, [b"a", b"b"])

        consumer = group_consumer(kafka_bootstrap, source, unique_name)
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, transactional_id=unique_name)
        await consumer.start()
        await producer.start()
        try:
            inputs = await read_records(consumer, 2)
            async with producer.transaction():
                await producer.send(sink, b"committed-" + (inputs[0].value or b""))
                await producer.send_offsets_to_transaction(
                    {TopicPartition(source, 0): inputs[0].offset + 1}, unique_name
                )
            await producer.begin_transaction()
            await producer.send(sink, b"aborted")
            await producer.abort_transaction()
        finally:
            await producer.stop()
            await consumer.stop()

        reader = group_consumer(
            kafka_bootstrap, sink, f"{unique_name}.reader", isolation_level="read_committed"
        )
        await reader.start()
        try:
            assert await read_until_quiet(reader) == [b"committed-a"]
        finally:
            await reader.stop()

        resumed = group_consumer(kafka_bootstrap, source, unique_name)
        await resumed.start()
        try:
            assert await read_until_quiet(resumed) == [b"b"]
        finally:
            await resumed.stop()
