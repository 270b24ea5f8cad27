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
from llmops_runtime.commands.ids import (
    ID_RULE,
    MAX_ID_CHARS,
    valid_id,
    valid_traceparent,
)
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


def _bounded_ids(item: Incoming, source: str, command_id: Any, correlation_id: Any) -> None:
    """Take the ids that pass ID_PATTERN; a present but illegal one refuses the command.

    An illegal id is never kept: it would become a primary key or a header of the reply.
    """
    for name, value in (("command id", command_id), ("correlation id", correlation_id)):
        if value is None:
            continue
        if not valid_id(value):
            item.rejection = item.rejection or errors.CommandRejected(
                errors.INVALID_ENVELOPE, f"the {source} {name} {_describe(value)}; {ID_RULE}"
            )
            continue
        if name == "command id":
            item.command_id = value
        else:
            item.correlation_id = value


def _describe(value: Any) -> str:
    if not isinstance(value, str):
        return f"is a {type(value).__name__}, not a string"
    if len(value) > MAX_ID_CHARS:
        return f"is {len(value)} characters long"
    return "has characters outside the allowed set"


def read_record(
    value: bytes | None,
    record_headers: headers.KafkaHeaders | None,
    registry: CommandRegistry,
    max_bytes: int = MAX_COMMAND_BYTES,
) -> Incoming:
    """Parse and validate envelope and payload; never raises."""
    hdr = headers.header_map(record_headers)
    item = Incoming(
        command_id=None,
        correlation_id=None,
        reply_topic=headers.valid_reply_topic(hdr.get(headers.REPLY_TOPIC)),
        traceparent=valid_traceparent(hdr.get(headers.TRACEPARENT)),
    )
    _bounded_ids(item, "header", hdr.get(headers.COMMAND_ID), hdr.get(headers.CORRELATION_ID))
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
    if item.rejection is not None:
        return item  # an illegal id in the headers: the body is not read
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
        _bounded_ids(item, "body", raw.get("command_id"), raw.get("correlation_id"))
        item.reply_topic = headers.valid_reply_topic(raw.get("reply_topic")) or item.reply_topic
        item.traceparent = valid_traceparent(raw.get("traceparent")) or item.traceparent
    if item.rejection is not None:
        return item
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
