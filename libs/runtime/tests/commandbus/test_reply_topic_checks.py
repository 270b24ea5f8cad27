"""Reply topics never stall a batch; the client accepts only the reply to what it sent."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from llmops_events.envelope import CommandResult
from llmops_runtime.commands import commands_topic, headers
from llmops_runtime.commands.reply_topics import ReplyTopics
from llmops_runtime.topics import ensure_topics, reply_topic

from .conftest import Bus
from .test_command_bus_bad_input import KEY, envelope
from .test_command_bus_bounds import answered_within_ten_seconds

pytestmark = pytest.mark.stack


class TestUnknownReplyTopics:
    async def test_three_hundred_unknown_reply_topics_then_a_valid_command_within_ten_seconds(
        self, bus: Bus
    ) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bus.bootstrap, linger_ms=5)
        await producer.start()
        try:
            for i in range(300):
                gone = reply_topic(uuid.uuid4().hex)
                body = envelope(bus, "bus_test.open_counter", {"name": f"u{i}"}, reply_topic=gone)
                await producer.send(
                    commands_topic(bus.service),
                    json.dumps(body).encode(),
                    key=KEY.encode(),
                    headers=headers.encode_headers(
                        {headers.REPLY_TOPIC: gone, headers.CORRELATION_ID: body["correlation_id"]}
                    ),
                )
            await producer.flush()
        finally:
            await producer.stop()
        await answered_within_ten_seconds(bus, "after-unknown-reply-topics")
        # The commands were decided and stored all the same; a retry gets its stored result.
        for _ in range(100):
            if await bus.event_count() == 301:
                break
            await asyncio.sleep(0.1)
        assert await bus.event_count() == 301


class TestReplyTopicCache:
    async def test_the_caches_are_bounded(self, kafka_bootstrap: str) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            topics = ReplyTopics(producer.client, timeout_s=5, max_entries=50)
            found = await topics.existing(reply_topic(uuid.uuid4().hex) for _ in range(500))
            assert found == set()
            assert len(topics._missing) == 50
        finally:
            await producer.stop()


class TestTheClientMatchesReplies:
    async def test_a_reply_with_another_command_id_is_ignored(self, bus: Bus) -> None:
        correlation = str(uuid.uuid4())
        command_id = str(uuid.uuid4())
        body = envelope(
            bus,
            "bus_test.open_counter",
            {"name": "matched"},
            command_id=command_id,
            correlation_id=correlation,
        )
        sink = f"llmops.t{uuid.uuid4().hex[:10]}.commands"  # no service reads it
        await ensure_topics(bus.bootstrap, {sink: 1})
        producer = AIOKafkaProducer(bootstrap_servers=bus.bootstrap)
        await producer.start()
        try:
            waiting = asyncio.ensure_future(
                bus.client.send_raw(
                    sink,
                    json.dumps(body).encode(),
                    correlation_id=correlation,
                    command_id=command_id,
                    timeout=10,
                )
            )
            await asyncio.sleep(0.5)
            # Someone else writes a reply with the right correlation id but another command id.
            fake = CommandResult(command_id="someone-else", status="accepted")
            await producer.send_and_wait(
                bus.client.reply_topic,
                fake.model_dump_json().encode(),
                headers=headers.encode_headers({headers.CORRELATION_ID: correlation}),
            )
            await asyncio.sleep(1.0)
            assert not waiting.done()
            genuine = CommandResult(command_id=command_id, status="accepted")
            await producer.send_and_wait(
                bus.client.reply_topic,
                genuine.model_dump_json().encode(),
                headers=headers.encode_headers({headers.CORRELATION_ID: correlation}),
            )
            assert (await waiting).command_id == command_id
        finally:
            await producer.stop()
