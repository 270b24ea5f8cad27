"""CommandClient: send commands to a service and await their results over a private reply topic."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from opentelemetry import trace

from llmops_events.envelope import CommandEnvelope, CommandResult
from llmops_runtime.commands import headers
from llmops_runtime.commands.topics import (
    COMMANDS_TOPIC_MAX_BYTES,
    commands_topic,
    delete_topics,
    ensure_topics,
)
from llmops_runtime.kafka_security import kafka_security
from llmops_runtime.topics import reply_topic
from llmops_runtime.tracing import current_traceparent

tracer = trace.get_tracer("llmops.client")


class CommandClient:
    """Sends commands; each instance owns a reply topic, created on start and deleted on stop."""

    def __init__(
        self, bootstrap: str, *, actor_token: str | None = None, linger_ms: int = 2
    ) -> None:
        self.bootstrap = bootstrap
        self.actor_token = actor_token
        self.reply_topic = reply_topic(uuid.uuid4().hex)
        self._linger_ms = linger_ms
        # correlation id -> (the command id sent, the future its reply completes)
        self._waiting: dict[str, tuple[str | None, asyncio.Future[CommandResult]]] = {}
        self._producer: AIOKafkaProducer | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Create the reply topic, then start the producer and the reply reader."""
        await ensure_topics(self.bootstrap, {self.reply_topic: 1})
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            **kafka_security(),
            acks="all",
            enable_idempotence=True,
            linger_ms=self._linger_ms,
            max_request_size=COMMANDS_TOPIC_MAX_BYTES + 65536,
        )
        await self._producer.start()
        # Wait until the new reply topic is in the cluster metadata before reading it.
        await self._producer.partitions_for(self.reply_topic)
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, **kafka_security(), enable_auto_commit=False
        )
        await self._consumer.start()
        tp = TopicPartition(self.reply_topic, 0)
        self._consumer.assign([tp])
        await self._consumer.seek_to_beginning(tp)
        self._reader = asyncio.create_task(self._read_replies())

    async def stop(self) -> None:
        """Stop reading, fail what still waits, and delete the reply topic."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        for _, future in self._waiting.values():
            future.cancel()
        if self._consumer is not None:
            await self._consumer.stop()
        if self._producer is not None:
            await self._producer.stop()
        await delete_topics(self.bootstrap, [self.reply_topic])

    async def __aenter__(self) -> CommandClient:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def send(
        self,
        service: str,
        wire_type: str,
        payload: dict[str, Any],
        *,
        actor_token: str | None = None,
        command_id: str | None = None,
        key: str | None = None,
        timeout: float = 30.0,  # noqa: ASYNC109 - the documented client API
    ) -> CommandResult:
        """Send a command (key: its aggregate id, keeping per-aggregate order); await its result."""
        with tracer.start_as_current_span(f"send {wire_type}", kind=trace.SpanKind.PRODUCER):
            envelope = CommandEnvelope(
                command_id=command_id or str(uuid.uuid4()),
                type=wire_type,
                issued_at=datetime.now(UTC),
                actor_token=actor_token or self.actor_token,
                correlation_id=str(uuid.uuid4()),
                reply_topic=self.reply_topic,
                traceparent=current_traceparent(),
                payload=payload,
            )
            return await self.send_raw(
                commands_topic(service),
                envelope.model_dump_json().encode(),
                correlation_id=envelope.correlation_id,
                command_id=envelope.command_id,
                key=key,
                timeout=timeout,
            )

    async def send_raw(
        self,
        topic: str,
        value: bytes | None,
        *,
        correlation_id: str | None = None,
        command_id: str | None = None,
        key: str | None = None,
        timeout: float = 30.0,  # noqa: ASYNC109 - the documented client API
        reply_in_headers: bool = True,
    ) -> CommandResult:
        """Publish bytes as a command and await the reply (tests of bad input use this)."""
        assert self._producer is not None, "call start() first"
        correlation_id = correlation_id or str(uuid.uuid4())
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        self._waiting[correlation_id] = (command_id, future)
        hdrs = headers.encode_headers(
            {
                headers.CORRELATION_ID: correlation_id,
                headers.COMMAND_ID: command_id,
                headers.REPLY_TOPIC: self.reply_topic if reply_in_headers else None,
                headers.TRACEPARENT: current_traceparent(),
            }
        )
        try:
            await self._producer.send(
                topic, value, key=(key or command_id or correlation_id).encode(), headers=hdrs
            )
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiting.pop(correlation_id, None)

    async def _read_replies(self) -> None:
        assert self._consumer is not None
        while True:
            batch = await self._consumer.getmany(timeout_ms=500, max_records=1000)
            for records in batch.values():
                for record in records:
                    self._settle(record)

    def _settle(self, record: Any) -> None:
        # A reply counts only when its correlation id and its command id are the ones sent:
        # another writer of the reply topic cannot answer someone else's command.
        correlation = headers.header_map(record.headers).get(headers.CORRELATION_ID)
        waiting = self._waiting.get(correlation or "")
        if waiting is None or record.value is None:
            return
        command_id, future = waiting
        try:
            result = CommandResult.model_validate_json(record.value)
        except ValueError:
            return
        unread_id = result.command_id is None and not result.accepted
        if future.done() or (
            command_id is not None and result.command_id != command_id and not unread_id
        ):
            return
        future.set_result(result)
