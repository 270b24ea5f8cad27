"""Keeping bearer tokens out of dead letters and log lines."""

from __future__ import annotations

import json
import re
from collections.abc import MutableMapping
from typing import Any

REDACTED = "[redacted token]"
# A JWT in compact form: base64url header starting `{"` (eyJ), payload and signature.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_JWT_BYTES = re.compile(_JWT.pattern.encode())


def redact_tokens(text: str) -> str:
    """text with every JWT-shaped substring replaced by a marker."""
    return _JWT.sub(REDACTED, text)


def redacted_record_value(value: bytes | None) -> bytes | None:
    """A command record's value without its bearer token, for the dead-letter topic.

    A JSON object gets its `actor_token` replaced by the marker (the rest stays as sent, for
    diagnosis); any other body is kept with JWT-shaped substrings replaced.
    """
    if value is None:
        return None
    try:
        body = json.loads(value)
    except (ValueError, UnicodeDecodeError):
        return _JWT_BYTES.sub(REDACTED.encode(), value)
    if isinstance(body, dict) and "actor_token" in body:
        body["actor_token"] = REDACTED
        value = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return _JWT_BYTES.sub(REDACTED.encode(), value)


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return redact_tokens(value)
    if isinstance(value, dict):
        return {k: REDACTED if k == "actor_token" else _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(v) for v in value]
    return value


def redact_log_tokens(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: no field of a log line (tracebacks included) carries a token."""
    for key, value in list(event_dict.items()):
        event_dict[key] = REDACTED if key == "actor_token" else _scrubbed(value)
    return event_dict
