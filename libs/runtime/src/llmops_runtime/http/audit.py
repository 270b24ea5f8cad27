"""`GET /audit`: the command audit record (refusals, unauthenticated commands) over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from fastapi import APIRouter, Query

from llmops_runtime.eventstore.sqlnames import checked_identifier


def audit_router(pool: asyncpg.Pool, schema: str) -> APIRouter:
    """Who tried what, when, and why it was refused; newest first, filterable."""
    s = checked_identifier(schema)
    router = APIRouter(tags=["audit"])

    @router.get("/audit")
    async def audit(
        actor: str | None = None,
        code: str | None = None,
        command_id: str | None = None,
        since: datetime | None = None,
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        """Audit records of commands, matching every filter given."""
        rows = await pool.fetch(
            f"SELECT at, actor, actor_verified, command_id, wire_type, status, code, reason,"
            f" correlation_id, trace_id FROM {s}.command_audit"
            " WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR code = $2)"
            " AND ($3::text IS NULL OR command_id = $3)"
            " AND ($4::timestamptz IS NULL OR at >= $4)"
            " ORDER BY id DESC LIMIT $5",
            actor, code, command_id, since, limit,
        )  # fmt: skip
        return [{**dict(row), "at": row["at"].isoformat()} for row in rows]

    return router
