"""Reading one Kafka record into a command, or into the precise reason it is not one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import structlog
from pydantic import BaseModel, ValidationError

from llmops_events.envelope import CommandEnvelope, FieldError
from llmops_runtime.commands import errors, headers
from llmops_runtime.commands.handlers import CommandRegistry, Registration
from llmops_runtime.rejections import MAX_FIELD_ERRORS, capped_field_errors

log = structlog.get_logger("llmops.commands")

MAX_COMMAND_BYTES = 1024 * 1024


@dataclass(slots=True)
class Incoming:
    """A record after intake: a valid command, or a rejection, or a dead letter."""

    command_id: str | None
    correlation_id: str | None
    reply_topic: str | None
    traceparent: str | None
    envelope: CommandEnvelope | None = None
    registration: Registration | None = None
    payload: BaseModel | None = None
    rejection: errors.CommandRejected | None = None

    @property
    def dead_letter(self) -> bool:
        """True when no reply can be sent: the record goes to the dead-letter topic."""
        return self.reply_topic is None or self.correlation_id is None


def field_errors(exc: ValidationError, prefix: str) -> list[FieldError]:
    """pydantic errors as wire field errors with dotted locations (capped for the reply)."""
    found = exc.errors(include_url=False, include_context=False, include_input=False)
    listed = [
        FieldError(
            loc=".".join([prefix, *map(str, e["loc"])]) if prefix else ".".join(map(str, e["loc"])),
            message=e["msg"],
            type=e["type"],
        )
        for e in found[:MAX_FIELD_ERRORS]
    ]
    return capped_field_errors(listed, total=len(found))


def _text(value: Any) -> str | None:
    # PostgreSQL text and jsonb cannot hold NUL: such an id would fail every batch it is in.
    return value if isinstance(value, str) and value and "\x00" not in value else None


def read_record(
    value: bytes | None,
    record_headers: headers.KafkaHeaders | None,
    registry: CommandRegistry,
    max_bytes: int = MAX_COMMAND_BYTES,
) -> Incoming:
    """Parse and validate envelope and payload; never raises."""
    hdr = headers.header_map(record_headers)
    item = Incoming(
        command_id=_text(hdr.get(headers.COMMAND_ID)),
        correlation_id=_text(hdr.get(headers.CORRELATION_ID)),
        reply_topic=headers.valid_reply_topic(hdr.get(headers.REPLY_TOPIC)),
        traceparent=_text(hdr.get(headers.TRACEPARENT)),
    )
    try:
        return _read_body(item, value, registry, max_bytes)
    except Exception as exc:  # whatever else a hostile body provokes rejects that one command
        log.exception("command_unreadable")
        item.rejection = errors.CommandRejected(
            errors.INVALID_ENVELOPE, f"the command could not be read: {type(exc).__name__}"
        )
        return item


def _read_body(
    item: Incoming, value: bytes | None, registry: CommandRegistry, max_bytes: int
) -> Incoming:
    if value is None:
        item.rejection = errors.CommandRejected(errors.INVALID_JSON, "the message has no body")
        return item
    if len(value) > max_bytes:
        item.rejection = errors.CommandRejected(
            errors.PAYLOAD_TOO_LARGE, f"the command is {len(value)} bytes; the limit is {max_bytes}"
        )
        return item
    if b"\x00" in value or b"\\u0000" in value:
        item.rejection = errors.CommandRejected(
            errors.INVALID_JSON, "the command contains a NUL character, which cannot be stored"
        )
        return item
    try:
        raw = json.loads(value)
    except (ValueError, RecursionError) as exc:
        item.rejection = errors.CommandRejected(errors.INVALID_JSON, f"not JSON: {exc}")
        return item
    try:
        # A lone surrogate (\ud800) parses, but no UTF-8 text column or header can hold it.
        json.dumps(raw, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        item.rejection = errors.CommandRejected(
            errors.INVALID_JSON, "the command contains a lone surrogate, which is not valid Unicode"
        )
        return item
    if isinstance(raw, dict):
        # Best effort before validation, so an invalid envelope can still be answered.
        item.command_id = _text(raw.get("command_id")) or item.command_id
        item.correlation_id = _text(raw.get("correlation_id")) or item.correlation_id
        item.reply_topic = headers.valid_reply_topic(raw.get("reply_topic")) or item.reply_topic
        item.traceparent = _text(raw.get("traceparent")) or item.traceparent
    try:
        envelope = CommandEnvelope.model_validate(raw)
    except ValidationError as exc:
        item.rejection = errors.CommandRejected(
            errors.INVALID_ENVELOPE, "the command envelope is invalid", field_errors(exc, "")
        )
        return item
    item.envelope = envelope
    return _read_payload(item, envelope, registry)


def _read_payload(item: Incoming, envelope: CommandEnvelope, registry: CommandRegistry) -> Incoming:
    registration = registry.get(envelope.type)
    if registration is None:
        item.rejection = errors.CommandRejected(
            errors.UNKNOWN_COMMAND, f"this service accepts no command {envelope.type!r}"
        )
        return item
    try:
        item.payload = registration.payload_model.model_validate(envelope.payload)
    except ValidationError as exc:
        item.rejection = errors.CommandRejected(
            errors.INVALID_PAYLOAD, "the payload is invalid", field_errors(exc, "payload")
        )
        return item
    item.registration = registration
    return item
