"""Sending replies and dead letters after the batch's transaction committed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaTimeoutError

from llmops_runtime import metrics
from llmops_runtime.commands import headers
from llmops_runtime.commands.outcome import Outcome

log = structlog.get_logger("llmops.commands")

# A reply topic that did not exist is not waited for again for this long (a gone client).
_MISSING_TTL_S = 60.0


class ReplyPublisher:
    """Publishes each outcome to its reply topic, or its record to the dead-letter topic."""

    def __init__(
        self, producer: AIOKafkaProducer, service: str, dlq: str, timeout_s: float
    ) -> None:
        self.producer = producer
        self.service = service
        self.dlq = dlq
        self.timeout_s = timeout_s
        self._missing: dict[str, float] = {}

    async def publish(self, outcomes: Sequence[Outcome], raw: Sequence[Any]) -> list[Any]:
        """Enqueue every reply and dead letter; return their acknowledgement futures."""
        pending: list[asyncio.Future[Any]] = []
        for outcome, record in zip(outcomes, raw, strict=True):
            item = outcome.item
            if item.dead_letter:
                pending.append(await self._dead_letter(outcome, record))
                continue
            assert item.reply_topic is not None
            future = await self._reply(item.reply_topic, outcome)
            if future is not None:
                pending.append(future)
        return pending

    async def _reply(self, topic: str, outcome: Outcome) -> asyncio.Future[Any] | None:
        if time.monotonic() < self._missing.get(topic, 0.0):
            return None
        hdrs = headers.encode_headers(
            {
                headers.CORRELATION_ID: outcome.item.correlation_id,
                headers.COMMAND_ID: outcome.result.command_id,
                headers.TRACEPARENT: outcome.item.traceparent,
            }
        )
        value = outcome.result.model_dump_json().encode()
        try:
            # Only the metadata wait can block: bound it so a vanished client costs little.
            return await asyncio.wait_for(
                self.producer.send(topic, value, headers=hdrs), self.timeout_s
            )
        except (KafkaTimeoutError, TimeoutError):
            self._missing[topic] = time.monotonic() + _MISSING_TTL_S
            log.warning(
                "reply_topic_unavailable", topic=topic, command_id=outcome.result.command_id
            )
            return None

    async def _dead_letter(self, outcome: Outcome, record: Any) -> asyncio.Future[Any]:
        metrics.DEAD_LETTERS.labels(self.service).inc()
        reason = outcome.result.message or "unreadable command"
        if outcome.item.reply_topic is None:
            reason = f"{reason} (no readable reply address)"
        hdrs = list(record.headers or ()) + headers.encode_headers(
            {
                headers.DLQ_REASON: reason,
                headers.DLQ_CODE: outcome.result.code,
                headers.DLQ_SOURCE: f"{record.topic}/{record.partition}/{record.offset}",
            }
        )
        log.warning("command_dead_lettered", reason=reason, source=record.offset)
        future: asyncio.Future[Any] = await self.producer.send(
            self.dlq, record.value, key=record.key, headers=hdrs
        )
        return future
