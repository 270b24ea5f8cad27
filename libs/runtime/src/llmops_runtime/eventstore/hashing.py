"""Canonical serialization of an event row and its SHA-256 chain hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

GENESIS_HASH = bytes(32)


def _number(value: int | float | Decimal) -> str:
    # jsonb may re-render a number (1e20 -> 100000000000000000000), so hash its normalized value.
    dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return str(dec.normalize())


def canonical_json(value: Any) -> str:
    """Serialize a JSON value deterministically: sorted keys, no spaces, normalized numbers."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float | Decimal):
        return _number(value)
    if isinstance(value, Mapping):
        items = (
            f"{json.dumps(k, ensure_ascii=False)}:{canonical_json(value[k])}" for k in sorted(value)
        )
        return "{" + ",".join(items) + "}"
    if isinstance(value, Sequence):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def parse_json(text: str | bytes) -> Any:
    """Parse JSON keeping decimals exact, so the canonical form survives a jsonb round trip."""
    return json.loads(text, parse_float=Decimal)


def timestamp_text(moment: datetime) -> str:
    """ISO 8601 UTC text with microseconds, the precision of timestamptz."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def row_hash(
    prev_hash: bytes,
    position: int,
    event_id: UUID,
    stream_id: UUID,
    stream_version: int,
    wire_type: str,
    schema_version: int,
    payload: Any,
    metadata: Any,
    committed_at: datetime,
) -> bytes:
    """SHA-256 over the canonical JSON array of the row's fields, the previous hash first."""
    fields = [
        prev_hash.hex(),
        position,
        str(event_id),
        str(stream_id),
        stream_version,
        wire_type,
        schema_version,
        payload,
        metadata,
        timestamp_text(committed_at),
    ]
    return hashlib.sha256(canonical_json(fields).encode()).digest()
