"""Hostile commands are answered or dead-lettered alone; none blocks its partition or the loop."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from llmops_runtime.commands import commands_topic, events_topic
from llmops_runtime.commands.headers import DLQ_CODE, DLQ_REASON, REPLY_TOPIC
from llmops_runtime.commands.intake import Incoming
from llmops_runtime.topics import ensure_topics, reply_topic

from .conftest import TEST_ISSUER, TEST_KEY, Bus
from .test_command_bus_bad_input import (
    KEY,
    envelope,
    next_good_command_runs,
    read_dead_letters,
    send_json,
)

pytestmark = pytest.mark.stack


def consumer_alive(bus: Bus) -> bool:
    return all(not task.done() for _, task in bus.consumers)


async def send_unanswerable(bus: Bus, body: dict[str, Any], hdrs: list[Any] | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bus.bootstrap)
    await producer.start()
    try:
        topic = commands_topic(bus.service)
        await producer.send_and_wait(
            topic, json.dumps(body).encode(), key=KEY.encode(), headers=hdrs
        )
    finally:
        await producer.stop()


async def topic_is_empty(bootstrap: str, topic: str) -> bool:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=f"reader-{uuid.uuid4().hex}",
    )
    await consumer.start()
    try:
        return not await consumer.getmany(timeout_ms=3000)
    finally:
        await consumer.stop()


class TestHugeRejections:
    async def test_eighty_thousand_unknown_keys_get_a_capped_reply(self, bus: Bus) -> None:
        payload: dict[str, Any] = {"name": "x", "amount": 1}
        payload.update({f"k{i}": 1 for i in range(80_000)})
        result = await send_json(bus, envelope(bus, "bus_test.add_to_counter", payload))
        assert result.code == "invalid_payload"
        assert len(result.field_errors) == 101
        assert result.field_errors[-1].message == "...and 79900 more"
        await next_good_command_runs(bus, "after-huge-rejection")
        assert consumer_alive(bus)

    async def test_a_reply_the_broker_refuses_is_dead_lettered_not_retried(self, bus: Bus) -> None:
        # A reply topic that takes no message of a reply's size: the broker refuses it for good.
        tiny = reply_topic(uuid.uuid4().hex)
        await ensure_topics(bus.bootstrap, {tiny: 1}, configs={tiny: {"max.message.bytes": "64"}})
        body = envelope(bus, "bus_test.open_counter", {"name": "refused"}, reply_topic=tiny)
        await send_unanswerable(bus, body)
        await next_good_command_runs(bus, "after-refused-reply")
        [dead] = await read_dead_letters(bus, 1)
        assert dead[DLQ_REASON].startswith(b"the reply could not be sent: ")
        assert dead[DLQ_CODE] == b"undeliverable"
        assert consumer_alive(bus)


class TestReplyTopicInjection:
    async def test_a_reply_topic_outside_the_reply_prefix_is_dead_lettered(self, bus: Bus) -> None:
        victim = events_topic(bus.service)
        await ensure_topics(bus.bootstrap, [victim], partitions=1)
        body = envelope(bus, "bus_test.open_counter", {"name": "in-body"}, reply_topic=victim)
        in_header = envelope(bus, "bus_test.open_counter", {"name": "in-header"}, reply_topic=None)
        await send_unanswerable(bus, body)
        await send_unanswerable(bus, in_header, [(REPLY_TOPIC, victim.encode())])
        await next_good_command_runs(bus, "after-injection")
        dead = await read_dead_letters(bus, 2)
        assert all(b"no readable reply address" in h[DLQ_REASON] for h in dead)
        assert await topic_is_empty(bus.bootstrap, victim)
        assert await bus.event_count() == 1


class TestHostileTokensAndText:
    @pytest.mark.parametrize("roles", [5, "admin", [1, 2], {"a": 1}])
    async def test_a_signed_token_with_malformed_roles_is_unauthenticated(
        self, bus: Bus, roles: object
    ) -> None:
        now = int(time.time())
        claims = {
            "sub": "eve",
            "iss": TEST_ISSUER,
            "aud": "llmops",
            "iat": now,
            "exp": now + 600,
            "roles": roles,
        }
        bad = jwt.encode(claims, TEST_KEY, algorithm="HS256")
        result = await bus.client.send(
            bus.service, "bus_test.open_counter", {"name": "r"}, actor_token=bad, key=KEY
        )
        assert (result.code, result.message) == (
            "unauthenticated",
            "the roles claim must be a list of strings",
        )
        row = (await bus.audit())[-1]
        assert (row["actor"], row["actor_verified"], row["code"]) == ("eve", False, result.code)
        await next_good_command_runs(bus, "after-roles")
        assert consumer_alive(bus)

    async def test_a_lone_surrogate_is_rejected(self, bus: Bus) -> None:
        body = json.dumps(envelope(bus, "bus_test.open_counter", {"name": "\ud800"}))
        result = await bus.client.send_raw(
            commands_topic(bus.service), body.encode(), key=KEY, timeout=30
        )
        assert result.code == "invalid_json"
        await next_good_command_runs(bus, "after-surrogate")
        assert consumer_alive(bus)

    async def test_a_crash_while_deciding_rejects_only_that_command(
        self, bus: Bus, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        processor = bus.consumers[0][0].processor
        original = processor.process

        async def crash_on_boom(conn: Any, items: Any, *, isolate: bool = False) -> Any:
            if any(_name(i) == "boom" for i in items):
                raise RuntimeError("a bug met by one record")
            return await original(conn, items, isolate=isolate)

        monkeypatch.setattr(processor, "process", crash_on_boom)
        boom = send_json(bus, envelope(bus, "bus_test.open_counter", {"name": "boom"}))
        good = send_json(bus, envelope(bus, "bus_test.open_counter", {"name": "fine"}))
        crashed, accepted = await asyncio.gather(boom, good)
        assert (crashed.code, accepted.status) == ("internal_error", "accepted")
        await next_good_command_runs(bus, "after-crash")
        assert consumer_alive(bus)
        assert await bus.event_count() == 2


def _name(item: Incoming) -> object:
    return getattr(item.payload, "name", None)
