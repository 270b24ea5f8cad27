"""Outbox relay: the event store, in commit order, to `llmops.<svc>.events`."""

from llmops_runtime.relay.envelope import EventEnvelope
from llmops_runtime.relay.publisher import (
    RecordRefused,
    idempotent_producer,
    publish_envelopes,
)
from llmops_runtime.relay.relay import OutboxRelay
from llmops_runtime.relay.topics import ensure_topics, events_topic

__all__ = [
    "EventEnvelope",
    "OutboxRelay",
    "RecordRefused",
    "ensure_topics",
    "events_topic",
    "idempotent_producer",
    "publish_envelopes",
]
