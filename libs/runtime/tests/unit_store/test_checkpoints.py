"""Checkpoint signatures: any change to a signed field, or another key, fails (no broker)."""

from __future__ import annotations

import dataclasses

from llmops_runtime.relay.checkpoints import (
    Checkpoint,
    checkpoints_topic,
    sign_checkpoint,
    signature_holds,
)

KEY = "checkpoint-unit-test-key"


def test_a_signed_checkpoint_survives_its_json_round_trip() -> None:
    signed = sign_checkpoint(KEY, "catalog", 42, bytes(range(32)))
    parsed = Checkpoint.from_json(signed.to_json())
    assert parsed == signed
    assert signature_holds(KEY, parsed)


def test_changing_any_signed_field_or_the_key_breaks_the_signature() -> None:
    signed = sign_checkpoint(KEY, "catalog", 42, bytes(range(32)))
    assert not signature_holds("another-key", signed)
    for change in (
        {"position": 41},
        {"hash": bytes(32)},
        {"schema": "dataset"},
        {"signed_at": "2020-01-01T00:00:00.000000+00:00"},
    ):
        assert not signature_holds(KEY, dataclasses.replace(signed, **change))


def test_the_checkpoints_topic_sits_beside_the_events_topic() -> None:
    assert checkpoints_topic("llmops.catalog.events") == "llmops.catalog.audit-checkpoints"
