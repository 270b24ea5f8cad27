"""Sending replies and dead letters after the batch's transaction committed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, KafkaTimeoutError, ProducerClosed

from llmops_runtime import metrics
from llmops_runtime.auth.redaction import redacted_record_value
from llmops_runtime.commands import headers
from llmops_runtime.commands.outcome import Outcome
from llmops_runtime.commands.reply_topics import ReplyTopics

log = structlog.get_logger("llmops.commands")


class ReplyPublisher:
    """Publishes each outcome to its reply topic, or its record to the dead-letter topic."""

    def __init__(
        self, producer: AIOKafkaProducer, service: str, dlq: str, timeout_s: float
    ) -> None:
        self.producer = producer
        self.service = service
        self.dlq = dlq
        self.timeout_s = timeout_s
        self.reply_topics = ReplyTopics(producer.client, timeout_s=timeout_s)

    async def publish(self, outcomes: Sequence[Outcome], raw: Sequence[Any]) -> list[Any]:
        """Enqueue every reply and dead letter; return their acknowledgement futures.

        Raises only for a broker outage (the batch is re-read); a reply the broker refuses for
        good (too large, invalid topic) is dead-lettered instead, never blocking the partition.
        """
        pending: list[asyncio.Future[Any]] = []
        live = await self.reply_topics.existing(
            o.item.reply_topic for o in outcomes if o.item.reply_topic and not o.item.dead_letter
        )
        for outcome, record in zip(outcomes, raw, strict=True):
            dead = outcome.item.dead_letter
            try:
                ack = await self._publish_one(outcome, record, live)
            except Exception as exc:
                if is_outage(exc):
                    raise
                ack, dead = await self._undeliverable(outcome, record, exc), True
            if ack is not None:
                pending.append(asyncio.ensure_future(self._settle(ack, outcome, record, dead)))
        return pending

    async def _publish_one(
        self, outcome: Outcome, record: Any, live: set[str]
    ) -> asyncio.Future[Any] | None:
        if outcome.item.dead_letter:
            return await self._dead_letter(record, _reason(outcome), outcome.result.code)
        topic = outcome.item.reply_topic
        assert topic is not None
        if topic not in live:
            # A client that is gone (or never was): its result is stored and audited, a retry
            # is answered from storage; nothing here waits for the topic.
            log.warning(
                "reply_topic_unavailable", topic=topic, command_id=outcome.result.command_id
            )
            return None
        return await self._reply(topic, outcome)

    async def _settle(
        self, ack: asyncio.Future[Any], outcome: Outcome, record: Any, dead: bool
    ) -> None:
        # The broker can still refuse a record for good (larger than its topic allows).
        try:
            await ack
        except Exception as exc:
            if is_outage(exc):
                raise
            if dead:
                log.error("command_dead_letter_failed", source=record.offset, error=repr(exc))
                return
            again = await self._undeliverable(outcome, record, exc)
            if again is not None:
                await self._settle(again, outcome, record, True)

    async def _undeliverable(
        self, outcome: Outcome, record: Any, exc: Exception
    ) -> asyncio.Future[Any] | None:
        log.error(
            "command_reply_undeliverable",
            topic=outcome.item.reply_topic,
            command_id=outcome.result.command_id,
            error=repr(exc)[:500],
        )
        reason = f"the reply could not be sent: {type(exc).__name__}"
        try:
            return await self._dead_letter(record, reason, outcome.result.code or "undeliverable")
        except Exception as dlq_exc:
            if is_outage(dlq_exc):
                raise
            # Neither answerable nor storable: dropping it is the only way the partition moves.
            log.error("command_dead_letter_failed", source=record.offset, error=repr(dlq_exc))
            return None

    async def _reply(self, topic: str, outcome: Outcome) -> asyncio.Future[Any] | None:
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
            self.reply_topics.forget(topic)
            log.warning(
                "reply_topic_unavailable", topic=topic, command_id=outcome.result.command_id
            )
            return None

    async def _dead_letter(self, record: Any, reason: str, code: str | None) -> asyncio.Future[Any]:
        metrics.DEAD_LETTERS.labels(self.service).inc()
        hdrs = [(k, redacted_record_value(v) or b"") for k, v in record.headers or ()]
        hdrs += headers.encode_headers(
            {
                headers.DLQ_REASON: reason,
                headers.DLQ_CODE: code,
                headers.DLQ_SOURCE: f"{record.topic}/{record.partition}/{record.offset}",
            }
        )
        log.warning("command_dead_lettered", reason=reason, source=record.offset)
        # The bearer token must not outlive the command: dead letters keep everything else.
        future: asyncio.Future[Any] = await self.producer.send(
            self.dlq, redacted_record_value(record.value), key=record.key, headers=hdrs
        )
        return future


def _reason(outcome: Outcome) -> str:
    reason = outcome.result.message or "unreadable command"
    if outcome.item.reply_topic is None:
        reason = f"{reason} (no readable reply address)"
    return reason


def is_outage(exc: BaseException) -> bool:
    """True for errors that a retry can cure (re-read the batch), not ones of this record."""
    if isinstance(exc, KafkaTimeoutError | ProducerClosed):
        return True
    return isinstance(exc, KafkaError) and exc.retriable
