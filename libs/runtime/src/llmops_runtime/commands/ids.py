"""The bounds every id of a command meets before it is stored, used as a key or sent back."""

from __future__ import annotations

import re
from typing import Any

MAX_ID_CHARS = 200
# Letters, digits and a few separators: enough for UUIDs, ULIDs and CI run names, never a
# control character, a NUL or a byte sequence a header or an index cannot hold.
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,199}"
ID_RULE = (
    f"ids are 1-{MAX_ID_CHARS} characters of A-Z a-z 0-9 . _ : @ + = / -,"
    " the first a letter or digit"
)
_ID = re.compile(ID_PATTERN)
# W3C trace context: version-traceid-parentid-flags.
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


def valid_id(value: Any) -> bool:
    """True for a string that matches ID_PATTERN."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def valid_traceparent(value: Any) -> str | None:
    """value if it is a W3C traceparent, else None (a bad one is dropped, not refused)."""
    return value if isinstance(value, str) and _TRACEPARENT.fullmatch(value) else None
