"""Small helpers for tests that talk to the real broker."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import ConsumerRecord


async def create_topic(bootstrap: str, name: str, partitions: int = 1) -> None:
    """Create a topic explicitly: the broker's auto-creation is off."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, replication_factor=1)])
    finally:
        await admin.close()


async def read_records(
    consumer: AIOKafkaConsumer, count: int, timeout_s: float = 20.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read exactly `count` records (fails on timeout)."""
    records: list[ConsumerRecord[bytes, bytes]] = []
    async with asyncio.timeout(timeout_s):
        while len(records) < count:
            batch = await consumer.getmany(timeout_ms=500, max_records=count - len(records))
            for partition_records in batch.values():
                records.extend(partition_records)
    return records


async def read_until_quiet(consumer: AIOKafkaConsumer, quiet_s: float = 2.0) -> list[bytes]:
    """Read whatever arrives until nothing more comes for `quiet_s`."""
    values: list[bytes] = []
    while True:
        batch = await consumer.getmany(timeout_ms=int(quiet_s * 1000))
        if not batch:
            return values
        values.extend(r.value or b"" for records in batch.values() for r in records)
