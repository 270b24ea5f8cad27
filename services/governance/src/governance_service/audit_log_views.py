"""Reads of the audit log: filtered, newest first, in keyset pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from llmops_runtime.http.pagination import KeyColumn, Keyset, PageRequest, fetch_page

AUDIT_LOG_KEY = Keyset(
    (KeyColumn("timestamp", "timestamptz", "timestamp"), KeyColumn("id", "uuid", "id")),
    descending=True,
)
_WHERE = (
    "($1::text IS NULL OR actor_id = $1)"
    " AND ($2::text IS NULL OR resource_type = $2)"
    " AND ($3::text IS NULL OR resource_id = $3)"
    " AND ($4::text IS NULL OR result = $4)"
    " AND ($5::text IS NULL OR action = $5)"
    " AND ($6::text IS NULL OR service = $6)"
    " AND ($7::timestamptz IS NULL OR timestamp >= $7)"
    " AND ($8::timestamptz IS NULL OR timestamp < $8)"
)
_SELECT = (
    "SELECT id, actor_id, action, resource_type, resource_id, result, metadata::text,"
    " timestamp FROM {s}.audit_log"
)


@dataclass(frozen=True, slots=True)
class AuditLogFilter:
    """Every filter of the audit log; None ignores it. since is inclusive, until exclusive."""

    actor_id: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    result: str | None = None
    action: str | None = None
    service: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def args(self) -> list[Any]:
        """The query's parameters, in $1..$8 order."""
        return [
            self.actor_id, self.resource_type, self.resource_id, self.result, self.action,
            self.service, self.since, self.until,
        ]  # fmt: skip


def entry_json(row: asyncpg.Record) -> dict[str, Any]:
    """One audit log entry as JSON (the AuditLog fields of the data model)."""
    return {
        "id": str(row["id"]),
        "actor_id": row["actor_id"],
        "action": row["action"],
        "resource_type": row["resource_type"],
        "resource_id": row["resource_id"],
        "result": row["result"],
        "metadata": json.loads(row["metadata"]),
        "timestamp": row["timestamp"].isoformat(),
    }


class AuditLogViews:
    """Reads of the audit_log table in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema

    async def page(self, page: PageRequest, where: AuditLogFilter) -> dict[str, Any]:
        """One page of entries matching every filter, newest first."""
        return await fetch_page(
            self._pool, page, AUDIT_LOG_KEY, select=_SELECT.format(s=self._schema),
            where=_WHERE, args=where.args(), to_json=entry_json,
        )  # fmt: skip
