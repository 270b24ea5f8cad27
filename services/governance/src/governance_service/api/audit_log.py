"""`GET /audit-log`: who did what to which resource, and how it ended, across every service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from governance_service.audit_log_views import AuditLogFilter, AuditLogViews
from llmops_events.base import NAME_MAX_CHARS
from llmops_runtime.http.pagination import Page

Bounded = Annotated[str | None, Query(min_length=1, max_length=NAME_MAX_CHARS)]
Result = Literal["accepted", "rejected", "unauthorized", "recorded"]


def _aware(value: datetime | None) -> datetime | None:
    # An ISO time without an offset is read as UTC.
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def audit_log_router(views: AuditLogViews) -> APIRouter:
    """GET /audit-log: entries newest first, filtered, in keyset pages (limit <= 1000)."""
    router = APIRouter(prefix="/audit-log", tags=["audit log"])

    @router.get("")
    async def audit_log(
        actor_id: Bounded = None, resource_type: Bounded = None, resource_id: Bounded = None,
        result: Result | None = None, action: Bounded = None, service: Bounded = None,
        since: Annotated[datetime | None, Query(description="ISO time, inclusive")] = None,
        until: Annotated[datetime | None, Query(description="ISO time, exclusive")] = None,
        *, page: Page,
    ) -> dict[str, Any]:  # fmt: skip
        """A page of audit log entries matching every filter given, newest first."""
        since, until = _aware(since), _aware(until)
        if since is not None and until is not None and until < since:
            raise HTTPException(422, "until is before since")
        where = AuditLogFilter(
            actor_id, resource_type, resource_id, result, action, service, since, until
        )
        return await views.page(page, where)

    return router
