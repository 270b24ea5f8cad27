"""Bearer tokens never reach the dead-letter topic or a log line."""

from __future__ import annotations

import json
import uuid

import pytest
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from llmops_runtime.auth.redaction import REDACTED
from llmops_runtime.commands import commands_topic, dead_letter_topic
from llmops_runtime.logging import configure_logging

from .conftest import Bus, token
from .test_command_bus_bad_input import KEY, envelope, next_good_command_runs


async def dead_letter_records(bus: Bus, count: int) -> list[tuple[bytes, list[tuple[str, bytes]]]]:
    consumer = AIOKafkaConsumer(
        dead_letter_topic(commands_topic(bus.service)),
        bootstrap_servers=bus.bootstrap,
        auto_offset_reset="earliest",
        group_id=f"dlq-reader-{uuid.uuid4().hex}",
    )
    await consumer.start()
    found: list[tuple[bytes, list[tuple[str, bytes]]]] = []
    try:
        while len(found) < count:
            batch = await consumer.getmany(timeout_ms=20_000)
            assert batch, "dead letters did not arrive"
            for records in batch.values():
                found.extend((r.value or b"", list(r.headers)) for r in records)
    finally:
        await consumer.stop()
    return found


@pytest.mark.stack
async def test_a_dead_lettered_command_keeps_everything_but_its_token(bus: Bus) -> None:
    bearer = token("alice")
    unanswerable = envelope(bus, "bus_test.open_counter", {"name": "m"}, reply_topic=None)
    unanswerable["actor_token"] = bearer
    garbage = b"not json at all " + bearer.encode()
    producer = AIOKafkaProducer(bootstrap_servers=bus.bootstrap)
    await producer.start()
    try:
        topic = commands_topic(bus.service)
        await producer.send_and_wait(topic, json.dumps(unanswerable).encode(), key=KEY.encode())
        await producer.send_and_wait(
            topic, garbage, key=KEY.encode(), headers=[("authorization", bearer.encode())]
        )
    finally:
        await producer.stop()
    await next_good_command_runs(bus, "after-dead-letters")
    (body, _), (raw, headers) = await dead_letter_records(bus, 2)
    for value, hdrs in ((body, []), (raw, headers)):
        assert bearer.encode() not in value
        assert all(bearer.encode() not in v for _, v in hdrs)
    kept = json.loads(body)
    assert kept["actor_token"] == REDACTED
    assert kept["command_id"] == unanswerable["command_id"]
    assert raw.startswith(b"not json at all ")


def test_no_log_line_carries_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    bearer = token("alice")
    configure_logging("catalog")
    log = structlog.get_logger("t")
    log.warning("command_seen", actor_token=bearer, body={"actor_token": bearer}, note=bearer)
    try:
        raise ValueError(f"could not parse {bearer}")
    except ValueError:
        log.exception("command_token_unverifiable")
    output = capsys.readouterr().err
    structlog.reset_defaults()
    lines = [json.loads(line) for line in output.strip().splitlines()[-2:]]
    assert bearer not in output
    assert lines[0]["actor_token"] == REDACTED
    assert REDACTED in lines[1]["exception"]
