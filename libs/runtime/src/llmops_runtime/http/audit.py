"""`GET /audit`: the command audit record (refusals, unauthenticated commands) over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from fastapi import APIRouter

from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.http.pagination import KeyColumn, Keyset, Page, fetch_page

AUDIT_KEY = Keyset((KeyColumn("id", "bigint", "id"),), descending=True)


def audit_router(pool: asyncpg.Pool, schema: str) -> APIRouter:
    """Who tried what, when, and why it was refused; newest first, filterable, paginated."""
    s = checked_identifier(schema)
    router = APIRouter(tags=["audit"])

    @router.get("/audit")
    async def audit(
        actor: str | None = None,
        code: str | None = None,
        command_id: str | None = None,
        since: datetime | None = None,
        *,
        page: Page,
    ) -> dict[str, Any]:
        """A page of audit records of commands, matching every filter given."""
        return await fetch_page(
            pool, page, AUDIT_KEY,
            select=f"SELECT id, at, actor, actor_verified, command_id, wire_type, status, code,"
            f" reason, correlation_id, trace_id FROM {s}.command_audit",
            where="($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR code = $2)"
            " AND ($3::text IS NULL OR command_id = $3)"
            " AND ($4::timestamptz IS NULL OR at >= $4)",
            args=[actor, code, command_id, since],
            to_json=lambda row: {**dict(row), "at": row["at"].isoformat()},
        )  # fmt: skip

    return router
