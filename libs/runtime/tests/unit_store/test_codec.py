"""Domain events to rows and back, without a database."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import ClassVar

import pytest
from eventsourcing.domain import Aggregate, event

from llmops_runtime.eventstore import ConcurrencyConflict, EventCodec, StoredRecord
from llmops_runtime.eventstore.append import _check_versions
from llmops_runtime.eventstore.errors import UnknownWireType
from llmops_runtime.relay import EventEnvelope
from llmops_testing.sample import Tally


def as_record(codec: EventCodec, new, position: int = 1) -> StoredRecord:
    return StoredRecord(
        position,
        new.event_id,
        new.stream_id,
        new.stream_version,
        new.wire_type,
        new.schema_version,
        json.dumps(new.payload),
        '{"actor": "ann", "traceparent": "00-abc-def-01"}',
        datetime(2026, 1, 1, tzinfo=UTC),
        b"",
        b"",
    )


class TestEncoding:
    def test_payload_is_plain_json_and_the_wire_name_is_the_type(self) -> None:
        owner = uuid.uuid4()
        new = EventCodec().encode(Tally("t", owner).collect_events()[0])
        assert new.wire_type == "runtime_sample.tally.opened"
        assert new.schema_version == 1
        assert new.stream_version == 1
        assert new.payload["owner"] == str(owner)
        assert isinstance(new.payload["timestamp"], str)

    def test_decoding_restores_typed_attributes(self) -> None:
        codec = EventCodec()
        tally = Tally("t", uuid.uuid4())
        new = codec.encode(tally.collect_events()[0])
        decoded = codec.decode(as_record(codec, new))
        rebuilt = decoded.mutate(None)  # type: ignore[attr-defined]
        assert isinstance(rebuilt, Tally)
        assert rebuilt.owner == tally.owner
        assert rebuilt.id == tally.id

    def test_an_event_class_without_wire_name_is_refused(self) -> None:
        class Bare(Aggregate):
            @event("Made")
            def __init__(self) -> None:
                pass

        with pytest.raises(UnknownWireType):
            EventCodec().encode(Bare().collect_events()[0])


class Memo(Aggregate):
    class Noted(Aggregate.Created):
        wire_name: ClassVar[str] = "runtime_unit.memo.noted"
        class_version = 3
        text: str
        tags: list[str]
        pinned: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["tags"] = []

        @staticmethod
        def upcast_v2_v3(state: dict[str, object]) -> None:
            state["pinned"] = False

    @event(Noted)
    def __init__(self, text: str, tags: list[str], pinned: bool) -> None:
        self.text, self.tags, self.pinned = text, tags, pinned


class TestUpcasting:
    def test_a_version_one_payload_goes_through_every_upcaster(self) -> None:
        codec = EventCodec()
        new = codec.encode(Memo("hi", ["a"], True).collect_events()[0])
        assert new.schema_version == 3
        old = {k: v for k, v in new.payload.items() if k not in ("tags", "pinned")}
        record = as_record(codec, new)._replace(schema_version=1, payload_json=json.dumps(old))
        memo = codec.decode(record).mutate(None)  # type: ignore[attr-defined]
        assert (memo.text, memo.tags, memo.pinned) == ("hi", [], False)


class TestVersionCheck:
    def test_a_gap_or_a_stale_version_is_a_conflict(self) -> None:
        codec = EventCodec()
        tally = Tally("t", uuid.uuid4())
        tally.increment(1)
        opened, incremented = (codec.encode(e) for e in tally.collect_events())
        _check_versions([opened, incremented], {})
        with pytest.raises(ConcurrencyConflict):
            _check_versions([incremented], {})
        with pytest.raises(ConcurrencyConflict):
            _check_versions([opened], {tally.id: 1})


class TestEnvelope:
    def test_round_trip_headers_and_no_import_path_on_the_wire(self) -> None:
        codec = EventCodec()
        new = codec.encode(Tally("t", uuid.uuid4()).collect_events()[0])
        envelope = EventEnvelope.from_record(as_record(codec, new, position=7))
        assert "originator_topic" not in envelope.payload
        assert EventEnvelope.from_json(envelope.to_json()) == envelope
        headers = dict(envelope.headers())
        assert headers["position"] == b"7"
        assert headers["traceparent"] == b"00-abc-def-01"
        assert headers["wire_type"] == b"runtime_sample.tally.opened"
