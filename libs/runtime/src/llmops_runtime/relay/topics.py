"""Explicit topic creation (broker auto-creation is off)."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

_ALREADY_EXISTS = 36


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
            response = await admin.create_topics(missing)
            # 36 = TOPIC_ALREADY_EXISTS: another instance created it meanwhile.
            failed = [e for e in response.topic_errors if e[1] not in (0, _ALREADY_EXISTS)]
            if failed:
                raise RuntimeError(f"creating topics failed: {failed}")
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
