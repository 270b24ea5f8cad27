"""Read-model rows as JSON: uuids as strings, times as ISO 8601, jsonb decoded."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

_JSONB = ("actions", "rules")


def as_json(row: asyncpg.Record) -> dict[str, Any]:
    """A row of any governance table as JSON."""
    item: dict[str, Any] = {}
    for key, value in dict(row).items():
        if isinstance(value, UUID):
            value = str(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        elif key in _JSONB and isinstance(value, str):
            value = json.loads(value)
        item[key] = value
    return item
