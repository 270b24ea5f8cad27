"""Kafka header names of the bus, so a reply address can be read even from an unreadable body."""

from __future__ import annotations

import re
from collections.abc import Sequence

from llmops_runtime.topics import REPLY_TOPIC_PREFIX

COMMAND_ID = "llmops-command-id"
CORRELATION_ID = "llmops-correlation-id"
REPLY_TOPIC = "llmops-reply-topic"
TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
DLQ_REASON = "llmops-dlq-reason"
DLQ_CODE = "llmops-dlq-code"
DLQ_SOURCE = "llmops-dlq-source"

KafkaHeaders = Sequence[tuple[str, bytes]]

_TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")


def header_map(headers: KafkaHeaders | None) -> dict[str, str]:
    """Headers decoded as UTF-8; an undecodable value is dropped, never fatal."""
    found: dict[str, str] = {}
    for name, value in headers or ():
        try:
            found[name] = value.decode() if value is not None else ""
        except (UnicodeDecodeError, AttributeError):
            continue
    return found


def encode_headers(values: dict[str, str | None]) -> list[tuple[str, bytes]]:
    """Headers for aiokafka from the non-empty values."""
    return [(k, v.encode()) for k, v in values.items() if v]


def valid_topic_name(name: object) -> str | None:
    """name if it is a legal Kafka topic name, else None."""
    return name if isinstance(name, str) and _TOPIC_NAME.match(name) else None


def valid_reply_topic(name: object) -> str | None:
    """name if it is a legal topic under REPLY_TOPIC_PREFIX, else None (never answer elsewhere)."""
    topic = valid_topic_name(name)
    ok = topic is not None and topic.startswith(REPLY_TOPIC_PREFIX) and topic != REPLY_TOPIC_PREFIX
    return topic if ok else None
