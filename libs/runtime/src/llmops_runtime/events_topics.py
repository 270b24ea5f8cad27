"""Events topics keep history forever: creation settings, the retention check, history start."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from llmops_runtime.kafka_security import kafka_security
from llmops_runtime.topics import KafkaReplicationSettings, ensure_topics, topic_partitions

# The broker's default record limit; the producer's max_request_size is kept equal to it.
DEFAULT_MAX_MESSAGE_BYTES = 1_048_576
UNLIMITED = "-1"
REPLAY_HINT = "repopulate it from the owning service's event store with `llmops events replay`"


class EventsTopicSettings(KafkaReplicationSettings):
    """`LLMOPS_KAFKA_*`: replication and the record limit of the events topics."""

    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES


class FiniteRetention(RuntimeError):
    """An events topic would delete history: the service refuses to start on it."""


class HistoryGone(RuntimeError):
    """A topic's log no longer starts at offset 0: a rebuild from it would lose events."""


def events_topic_configs(settings: EventsTopicSettings) -> dict[str, str]:
    """Topic configs of an events topic: unlimited retention, the record limit, min ISR."""
    return {
        "retention.ms": UNLIMITED,
        "retention.bytes": UNLIMITED,
        "cleanup.policy": "delete",
        "max.message.bytes": str(settings.max_message_bytes),
        **(
            {}
            if settings.min_insync_replicas is None
            else {"min.insync.replicas": str(settings.min_insync_replicas)}
        ),
    }


async def ensure_events_topics(
    bootstrap: str,
    names: Iterable[str],
    settings: EventsTopicSettings | None = None,
    *,
    partitions: int = 3,
) -> None:
    """Create the missing events topics with unlimited retention and the configured replication."""
    settings = settings or EventsTopicSettings()
    wanted = sorted(set(names))
    configs = events_topic_configs(settings)
    await ensure_topics(
        bootstrap,
        wanted,
        partitions=partitions,
        configs={name: configs for name in wanted},
        replication_factor=settings.replication_factor,
    )


async def topic_configs(bootstrap: str, topic: str) -> dict[str, str]:
    """The effective configs of an existing topic (empty if it does not exist)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security())
    await admin.start()
    try:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        await admin.close()
    found: dict[str, str] = {}
    for response in responses:
        for error_code, _message, _type, _name, entries in response.resources:
            if error_code == 0:
                found.update({entry[0]: entry[1] for entry in entries if entry[1] is not None})
    return found


async def check_unlimited_retention(bootstrap: str, topic: str) -> dict[str, str]:
    """The topic's configs; raises FiniteRetention when it would delete events after a time."""
    configs = await topic_configs(bootstrap, topic)
    finite = {
        key: configs[key]
        for key in ("retention.ms", "retention.bytes")
        if configs.get(key, UNLIMITED) != UNLIMITED
    }
    if finite or "compact" in configs.get("cleanup.policy", "delete"):
        shown = ", ".join(f"{k}={v}" for k, v in finite.items()) or (
            f"cleanup.policy={configs['cleanup.policy']}"
        )
        raise FiniteRetention(
            f"events topic {topic} has finite retention ({shown}): Kafka would delete its"
            " history. Set retention.ms=-1 and retention.bytes=-1 (and cleanup.policy=delete),"
            f" e.g. kafka-configs --alter --entity-type topics --entity-name {topic}"
            " --add-config retention.ms=-1,retention.bytes=-1, then start the service again"
        )
    return configs


async def history_start_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """The log start offset of each partition of topic (0 while no record was ever deleted)."""
    partitions = [TopicPartition(topic, p) for p in await topic_partitions(bootstrap, topic)]
    if not partitions:
        return {}
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, **kafka_security(), enable_auto_commit=False
    )
    await consumer.start()
    try:
        starts = await consumer.beginning_offsets(partitions)
    finally:
        await consumer.stop()
    return {tp.partition: offset for tp, offset in starts.items()}


async def check_history_complete(bootstrap: str, topic: str) -> None:
    """Raise HistoryGone when any partition of topic lost its first records."""
    gone = {p: o for p, o in (await history_start_offsets(bootstrap, topic)).items() if o > 0}
    if gone:
        shown = ", ".join(f"partition {p} starts at offset {o}" for p, o in sorted(gone.items()))
        raise HistoryGone(
            f"topic {topic} no longer holds its full history ({shown}): a rebuild from it"
            f" would silently lose the deleted events. Refusing to rebuild; {REPLAY_HINT},"
            " then rebuild again"
        )


async def set_topic_configs(bootstrap: str, topic: str, configs: dict[str, str]) -> None:
    """Replace a topic's configs (AlterConfigs: keys not given return to the broker default)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security())
    await admin.start()
    try:
        responses = await admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, configs)]
        )
    finally:
        await admin.close()
    failed = [r for response in responses for r in response.resources if r[0] != 0]
    if failed:
        raise RuntimeError(f"altering the configs of {topic} failed: {failed}")
