"""Validated SQL identifiers for per-service schemas."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def checked_identifier(name: str) -> str:
    """Return name if it is a safe lower-case SQL identifier, else raise ValueError."""
    # Schema and table names are interpolated into SQL text, so only a strict subset is allowed.
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


def notify_channel(schema: str) -> str:
    """Name of the LISTEN/NOTIFY channel announcing new events in a schema."""
    return f"llmops_events_{checked_identifier(schema)}"
