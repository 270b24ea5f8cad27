"""Kafka topic names and their explicit creation (broker auto-creation is off)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pydantic_settings import BaseSettings, SettingsConfigDict

from llmops_runtime.kafka_security import kafka_security

_ALREADY_EXISTS = 36  # TOPIC_ALREADY_EXISTS: another instance created it meanwhile


class KafkaReplicationSettings(BaseSettings):
    """`LLMOPS_KAFKA_*`: how every topic the platform creates is replicated. Unset, a topic
    gets 3 replicas (as many as the cluster has, if fewer: 1 on a single broker) and the
    broker's `min.insync.replicas` (2 on the local 3-node cluster)."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_KAFKA_", extra="ignore")

    replication_factor: int | None = None
    min_insync_replicas: int | None = None


MAX_DEFAULT_REPLICAS = 3


def commands_topic(service: str) -> str:
    """The topic a service consumes its commands from."""
    return f"llmops.{service}.commands"


def events_topic(service: str) -> str:
    """The topic the outbox relay publishes a service's events to."""
    return f"llmops.{service}.events"


# Every reply topic starts with this: a command may name no other topic to be answered on.
REPLY_TOPIC_PREFIX = "llmops.replies."


def reply_topic(name: str) -> str:
    """A client's private reply topic."""
    return f"{REPLY_TOPIC_PREFIX}{name}"


def dead_letter_topic(topic: str) -> str:
    """Where the messages of topic that cannot be processed go."""
    return f"{topic}.dlq"


async def ensure_topics(
    bootstrap: str,
    topics: Mapping[str, int] | Iterable[str],
    partitions: int = 3,
    configs: Mapping[str, Mapping[str, str]] | None = None,
    replication_factor: int | None = None,
) -> None:
    """Create the missing topics: names with `partitions` each, or a {name: partitions} map,
    replicated as KafkaReplicationSettings says unless `replication_factor` is given."""
    if replication_factor is None:
        replication_factor = KafkaReplicationSettings().replication_factor
    wanted = dict(topics) if isinstance(topics, Mapping) else dict.fromkeys(topics, partitions)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security())
    await admin.start()
    try:
        if replication_factor is None:
            brokers = len((await admin.describe_cluster())["brokers"])
            replication_factor = max(1, min(MAX_DEFAULT_REPLICAS, brokers))
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name, count, replication_factor, topic_configs=dict((configs or {}).get(name, {}))
            )
            for name, count in wanted.items()
            if name not in existing
        ]
        if missing:
            response = await admin.create_topics(missing)
            failed = [e for e in response.topic_errors if e[1] not in (0, _ALREADY_EXISTS)]
            if failed:
                raise RuntimeError(f"creating topics failed: {failed}")
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, names: list[str]) -> None:
    """Delete topics (a client's reply topic on stop)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security())
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()


async def topic_partitions(bootstrap: str, topic: str) -> list[int]:
    """The partition numbers of an existing topic (empty if it does not exist)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security())
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(
        p["partition"] for t in described if t["error_code"] == 0 for p in t["partitions"]
    )


async def existing_topics(bootstrap: str) -> set[str]:
    """The names of the topics the broker has."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security())
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()
