"""Publishing envelopes to Kafka with an idempotent, acks=all producer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    CorruptRecordException,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)

from llmops_runtime.kafka_security import kafka_security
from llmops_runtime.relay.envelope import EventEnvelope

# Errors no retry can cure: the same record would be refused again, forever.
_NON_RETRIABLE = (
    CorruptRecordException,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
_INVALID_RECORD = 87  # INVALID_RECORD, unknown to aiokafka's error table


def is_non_retriable(exc: BaseException) -> bool:
    """True for producer errors that refuse the record itself (too large, invalid)."""
    return isinstance(exc, _NON_RETRIABLE) or getattr(exc, "errno", None) == _INVALID_RECORD


class RecordRefused(Exception):
    """The broker or producer refused one record for good; every record before it was acked."""

    def __init__(self, envelope: EventEnvelope, error: BaseException) -> None:
        super().__init__(
            f"event {envelope.event_id} ({envelope.wire_type}) at position {envelope.position}"
            f" was refused: {error!r}"
        )
        self.envelope = envelope
        self.error = error


def idempotent_producer(bootstrap: str, **overrides: Any) -> AIOKafkaProducer:
    """A producer that neither loses nor reorders nor duplicates on its own retries."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "enable_idempotence": True,
        "acks": "all",
        # Short linger: the relay already batches, and commit-to-ack latency matters.
        "linger_ms": 1,
        "request_timeout_ms": 10_000,
        **kafka_security(),
    }
    config.update(overrides)
    return AIOKafkaProducer(**config)


async def publish_envelopes(
    producer: AIOKafkaProducer, topic: str, envelopes: Sequence[EventEnvelope]
) -> None:
    """Send all envelopes keyed by stream id and return once the broker acknowledged each.

    Raises RecordRefused for the first envelope refused for good when all before it were
    acknowledged; any other failure is raised as is (the caller retries the batch).
    """
    pending: list[asyncio.Future[Any]] = []
    for env in envelopes:
        try:
            pending.append(
                await producer.send(
                    topic,
                    value=env.to_json(),
                    key=str(env.stream_id).encode(),
                    headers=env.headers(),
                )
            )
        except Exception as exc:
            if not is_non_retriable(exc):
                raise
            refused: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            refused.set_exception(exc)
            pending.append(refused)
            break  # nothing after a refused record may be published before it
    results = await asyncio.gather(*pending, return_exceptions=True)
    for env, result in zip(envelopes, results, strict=False):
        if isinstance(result, BaseException):
            if is_non_retriable(result):
                raise RecordRefused(env, result) from result
            raise result
