"""Publishing parked events to a dead-letter topic, the reason in headers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer

from llmops_runtime.projections.tracking import Parked, Unreadable


async def publish_dead_letters(
    producer: AIOKafkaProducer,
    topic: str,
    projection: str,
    parked: Sequence[Parked],
    unreadable: Sequence[Unreadable] = (),
) -> None:
    """Send each parked event's envelope (an unreadable record's raw value) with headers."""
    pending = []
    for p in parked:
        env = p.event.envelope
        headers = [
            *env.headers(),
            ("projection", projection.encode()),
            ("reason", p.reason.encode()[:4000]),
            ("source", f"{p.event.topic}:{p.event.partition}:{p.event.offset}".encode()),
        ]
        key = str(env.stream_id).encode()
        pending.append(await producer.send(topic, env.to_json(), key=key, headers=headers))
    for u in unreadable:
        headers = [
            ("projection", projection.encode()),
            ("reason", u.reason.encode()[:4000]),
            ("source", f"{u.topic}:{u.partition}:{u.offset}".encode()),
        ]
        pending.append(await producer.send(topic, u.value, key=u.key, headers=headers))
    await asyncio.gather(*pending)
