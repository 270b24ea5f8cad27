"""Topic names of the bus and their explicit creation (broker auto-creation is off)."""

from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

# Commands up to this size reach the service, so an oversized one is rejected, not refused
# by the broker with an error the client cannot map to a command.
COMMANDS_TOPIC_MAX_BYTES = 4 * 1024 * 1024


def commands_topic(service: str) -> str:
    """The topic a service consumes its commands from."""
    return f"llmops.{service}.commands"


def dead_letter_topic(topic: str) -> str:
    """Where unreadable messages of topic go."""
    return f"{topic}.dlq"


def events_topic(service: str) -> str:
    """The topic the outbox relay publishes a service's events to."""
    return f"llmops.{service}.events"


async def ensure_topics(
    bootstrap: str, topics: dict[str, int], configs: dict[str, dict[str, str]] | None = None
) -> None:
    """Create each topic with its partition count unless it exists."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name, parts, replication_factor=1, topic_configs=(configs or {}).get(name, {}))
            for name, parts in topics.items()
            if name not in existing
        ]
        if missing:
            # Another instance may have created it first.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, names: list[str]) -> None:
    """Delete topics (a client's reply topic on stop)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()
