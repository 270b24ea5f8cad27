"""Publishing envelopes to Kafka with an idempotent, acks=all producer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer

from llmops_runtime.relay.envelope import EventEnvelope


def idempotent_producer(bootstrap: str, **overrides: Any) -> AIOKafkaProducer:
    """A producer that neither loses nor reorders nor duplicates on its own retries."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "enable_idempotence": True,
        "acks": "all",
        # Short linger: the relay already batches, and commit-to-ack latency matters.
        "linger_ms": 1,
        "request_timeout_ms": 10_000,
    }
    config.update(overrides)
    return AIOKafkaProducer(**config)


async def publish_envelopes(
    producer: AIOKafkaProducer, topic: str, envelopes: Sequence[EventEnvelope]
) -> None:
    """Send all envelopes keyed by stream id and return once the broker acknowledged each."""
    pending = [
        await producer.send(
            topic,
            value=env.to_json(),
            key=str(env.stream_id).encode(),
            headers=env.headers(),
        )
        for env in envelopes
    ]
    await asyncio.gather(*pending)
