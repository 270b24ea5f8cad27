"""Read-model rows as JSON, and the 404 of a row that is not there."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
from fastapi import HTTPException

T = TypeVar("T")
# How a router turns one row into its JSON body.
ToJson = Callable[[asyncpg.Record], dict[str, Any]]


def row_json(
    row: asyncpg.Record, *, json_columns: Collection[str] = (), drop: Collection[str] = ()
) -> dict[str, Any]:
    """A row with its jsonb columns decoded, ids and times as strings, `drop` left out."""
    item: dict[str, Any] = {}
    for key, value in dict(row).items():
        if key in drop:
            continue
        if key in json_columns and value is not None:
            value = json.loads(value)
        elif isinstance(value, UUID):
            value = str(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        item[key] = value
    return item


def found(value: T | None, detail: str) -> T:
    """The value, or a 404 with detail if it is None."""
    if value is None:
        raise HTTPException(404, detail)
    return value
