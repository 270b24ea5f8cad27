"""Explicit topic creation (broker auto-creation is off)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError


def events_topic(service: str) -> str:
    """The topic a service's relay publishes to."""
    return f"llmops.{service}.events"


async def ensure_topics(
    bootstrap: str, names: Iterable[str], partitions: int = 3, replication: int = 1
) -> None:
    """Create the topics that do not exist yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(n, partitions, replication) for n in names if n not in existing]
        if missing:
            # another instance created it meanwhile
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


async def topic_partitions(bootstrap: str, topic: str) -> list[int]:
    """The partition numbers of an existing topic (empty if it does not exist)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(
        p["partition"] for t in described if t["error_code"] == 0 for p in t["partitions"]
    )
