"""Bad input never blocks a partition: each kind is rejected or dead-lettered, the next one runs."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from llmops_runtime.commands import commands_topic, dead_letter_topic
from llmops_runtime.commands.headers import DLQ_CODE, DLQ_REASON, REPLY_TOPIC

from .conftest import Bus, token

pytestmark = pytest.mark.stack

KEY = "one-partition"


def envelope(bus: Bus, wire_type: str, payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "command_id": str(uuid.uuid4()),
        "type": wire_type,
        "issued_at": datetime.now(UTC).isoformat(),
        "actor_token": token(),
        "correlation_id": str(uuid.uuid4()),
        "reply_topic": bus.client.reply_topic,
        "payload": payload,
    }
    body.update(extra)
    return body


async def send_json(bus: Bus, body: dict[str, Any]) -> Any:
    return await bus.client.send_raw(
        commands_topic(bus.service),
        json.dumps(body).encode(),
        correlation_id=body["correlation_id"],
        command_id=body["command_id"],
        key=KEY,
        timeout=30,
    )


async def next_good_command_runs(bus: Bus, name: str) -> None:
    result = await send_json(bus, envelope(bus, "bus_test.open_counter", {"name": name}))
    assert result.accepted, result


class TestRejectedWithAReply:
    async def test_non_json(self, bus: Bus) -> None:
        result = await bus.client.send_raw(commands_topic(bus.service), b"{not json", key=KEY)
        assert result.code == "invalid_json"
        await next_good_command_runs(bus, "after-non-json")

    async def test_unknown_wire_type(self, bus: Bus) -> None:
        result = await send_json(bus, envelope(bus, "bus_test.explode", {}))
        assert result.code == "unknown_command"
        await next_good_command_runs(bus, "after-unknown")

    async def test_schema_invalid_payload_names_each_field(self, bus: Bus) -> None:
        body = envelope(bus, "bus_test.add_to_counter", {"name": "x", "amount": -1, "typo": 1})
        result = await send_json(bus, body)
        assert result.code == "invalid_payload"
        assert {e.loc for e in result.field_errors} == {"payload.amount", "payload.typo"}
        await next_good_command_runs(bus, "after-invalid")

    async def test_invalid_envelope(self, bus: Bus) -> None:
        body = envelope(bus, "bus_test.open_counter", {"name": "y"}, issued_at="yesterday")
        result = await send_json(bus, body)
        assert result.code == "invalid_envelope"
        assert [e.loc for e in result.field_errors] == ["issued_at"]
        await next_good_command_runs(bus, "after-envelope")

    async def test_payload_over_one_mebibyte(self, bus: Bus) -> None:
        body = envelope(bus, "bus_test.open_counter", {"name": "z" * (1024 * 1024 + 10)})
        result = await send_json(bus, body)
        assert result.code == "payload_too_large"
        await next_good_command_runs(bus, "after-large")
        assert await bus.event_count() == 1

    async def test_a_nul_character_anywhere(self, bus: Bus) -> None:
        body = envelope(bus, "bus_test.open_counter", {"name": "n\x00"})
        result = await send_json(bus, body)
        assert result.code == "invalid_json"
        await next_good_command_runs(bus, "after-nul")

    async def test_a_nul_character_in_the_command_id(self, bus: Bus) -> None:
        body = envelope(bus, "bus_test.open_counter", {"name": "n"})
        body["command_id"] = "c\x00"
        result = await send_json(bus, body)
        assert result.code == "invalid_envelope"
        assert result.command_id is None
        await next_good_command_runs(bus, "after-nul-id")

    async def test_rejections_are_audited(self, bus: Bus) -> None:
        await send_json(bus, envelope(bus, "bus_test.explode", {}))
        rows = await bus.audit()
        assert [(r["status"], r["code"], r["actor"]) for r in rows] == [
            ("rejected", "unknown_command", None)
        ]


class TestDeadLettered:
    async def test_records_without_a_readable_reply_address_go_to_the_dlq(self, bus: Bus) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bus.bootstrap)
        await producer.start()
        try:
            topic = commands_topic(bus.service)
            missing = envelope(bus, "bus_test.open_counter", {"name": "m"}, reply_topic=None)
            bad_name = envelope(
                bus, "bus_test.open_counter", {"name": "b"}, reply_topic="no spaces!"
            )
            await producer.send_and_wait(topic, json.dumps(missing).encode(), key=KEY.encode())
            await producer.send_and_wait(topic, json.dumps(bad_name).encode(), key=KEY.encode())
            await producer.send_and_wait(topic, b"\xff\xfe garbage", key=KEY.encode())
            await producer.send_and_wait(
                topic, b"garbage", key=KEY.encode(), headers=[(REPLY_TOPIC, b"\xff\xfe")]
            )
        finally:
            await producer.stop()
        await next_good_command_runs(bus, "after-dead-letters")
        dead = await read_dead_letters(bus, 4)
        assert [h[DLQ_CODE] for h in dead] == [
            b"invalid_envelope",
            b"invalid_envelope",
            b"invalid_json",
            b"invalid_json",
        ]
        assert all(b"no readable reply address" in h[DLQ_REASON] for h in dead)
        assert await bus.event_count() == 1


async def read_dead_letters(bus: Bus, count: int) -> list[dict[str, bytes]]:
    consumer = AIOKafkaConsumer(
        dead_letter_topic(commands_topic(bus.service)),
        bootstrap_servers=bus.bootstrap,
        auto_offset_reset="earliest",
        group_id=f"dlq-reader-{uuid.uuid4().hex}",
    )
    await consumer.start()
    found: list[dict[str, bytes]] = []
    try:
        while len(found) < count:
            batch = await consumer.getmany(timeout_ms=20_000)
            assert batch, "dead letters did not arrive"
            for records in batch.values():
                found.extend(dict(r.headers) for r in records)
    finally:
        await consumer.stop()
    return found
