"""Reading a Kafka record into a command or the precise reason it is not one (no broker)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from llmops_runtime.commands.headers import CORRELATION_ID, REPLY_TOPIC
from llmops_runtime.commands.intake import read_record

from .conftest import counter_registry

REGISTRY = counter_registry()
HEADERS = [(REPLY_TOPIC, b"llmops.replies.abc"), (CORRELATION_ID, b"k-1")]


def body(**overrides: Any) -> bytes:
    value: dict[str, Any] = {
        "command_id": "c-1",
        "type": "bus_test.open_counter",
        "issued_at": datetime.now(UTC).isoformat(),
        "correlation_id": "k-2",
        "reply_topic": "llmops.replies.def",
        "payload": {"name": "a"},
    }
    value.update(overrides)
    return json.dumps(value).encode()


class TestReadRecord:
    def test_a_valid_command_has_its_payload_model_and_body_addresses(self) -> None:
        item = read_record(body(), HEADERS, REGISTRY)
        assert item.rejection is None
        assert item.payload is not None
        assert (item.reply_topic, item.correlation_id) == ("llmops.replies.def", "k-2")

    def test_non_json_keeps_the_reply_address_of_the_headers(self) -> None:
        item = read_record(b"{", HEADERS, REGISTRY)
        assert item.rejection is not None
        assert item.rejection.code == "invalid_json"
        assert (item.reply_topic, item.correlation_id, item.dead_letter) == (
            "llmops.replies.abc",
            "k-1",
            False,
        )

    def test_without_any_reply_address_the_record_is_a_dead_letter(self) -> None:
        assert read_record(b"{", [], REGISTRY).dead_letter
        assert read_record(body(reply_topic=None), [], REGISTRY).dead_letter

    def test_an_illegal_topic_name_is_no_reply_address(self) -> None:
        item = read_record(body(reply_topic="a b"), [(REPLY_TOPIC, b"\xff")], REGISTRY)
        assert item.dead_letter

    def test_an_oversized_record_is_refused_before_parsing(self) -> None:
        item = read_record(b"x" * 101, HEADERS, REGISTRY, max_bytes=100)
        assert item.rejection is not None
        assert item.rejection.code == "payload_too_large"

    def test_an_unknown_wire_type(self) -> None:
        item = read_record(body(type="bus_test.nope"), HEADERS, REGISTRY)
        assert item.rejection is not None
        assert item.rejection.code == "unknown_command"

    def test_payload_errors_are_located_under_payload(self) -> None:
        item = read_record(body(payload={"name": ""}), HEADERS, REGISTRY)
        assert item.rejection is not None
        assert item.rejection.code == "invalid_payload"
        assert [e.loc for e in item.rejection.field_errors] == ["payload.name"]

    def test_a_json_array_is_an_invalid_envelope(self) -> None:
        item = read_record(b"[1]", HEADERS, REGISTRY)
        assert item.rejection is not None
        assert item.rejection.code == "invalid_envelope"

    def test_a_nul_character_is_refused_before_it_reaches_postgresql(self) -> None:
        item = read_record(body(command_id="c\x00", payload={"name": "a\x00"}), HEADERS, REGISTRY)
        assert item.rejection is not None
        assert item.rejection.code == "invalid_json"
        assert item.command_id is None
        assert item.reply_topic == "llmops.replies.abc"
