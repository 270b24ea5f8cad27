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
    # jsonb stores -0.0 as 0.0: every zero hashes as "0".
    return "0" if dec.is_zero() else str(dec.normalize())


# Numbers become {"\u0000n": "<normalized decimal>"}: jsonb cannot hold U+0000, so no stored
# object can collide with the tag, and a number never hashes like a string.
_NUMBER_TAG = "\x00n"


def _tagged(value: Any) -> Any:
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is dict:
        return {k: _tagged(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_tagged(v) for v in value]
    if kind is int or kind is float or kind is Decimal:
        return {_NUMBER_TAG: _number(value)}
    if isinstance(value, Mapping):
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_tagged(v) for v in value]
    raise TypeError(f"not a JSON value: {kind.__name__}")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """Serialize JSON deterministically: sorted keys, no spaces, tagged normalized numbers."""
    return _CANONICAL.encode(_tagged(value))


def parse_json(text: str | bytes) -> Any:
    """Parse JSON keeping decimals exact, so the canonical form survives a jsonb round trip."""
    return json.loads(text, parse_float=Decimal)


def timestamp_text(moment: datetime) -> str:
    """ISO 8601 UTC text with microseconds, the precision of timestamptz."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def content_text(
    event_id: UUID,
    stream_id: UUID,
    stream_version: int,
    wire_type: str,
    schema_version: int,
    payload: Any,
    metadata: Any,
) -> str:
    """Canonical JSON of a row's content: everything but its place in the chain."""
    fields = [
        str(event_id),
        str(stream_id),
        stream_version,
        wire_type,
        schema_version,
        payload,
        metadata,
    ]
    return canonical_json(fields)


def chain_hash(prev_hash: bytes, position: int, committed_at: datetime, content: str) -> bytes:
    """SHA-256 of `<prev hash hex>|<position>|<committed_at>|<content text>`."""
    text = f"{prev_hash.hex()}|{position}|{timestamp_text(committed_at)}|{content}"
    return hashlib.sha256(text.encode()).digest()
