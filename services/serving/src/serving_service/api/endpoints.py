"""HTTP reads: what serves (or served at a time), one endpoint, its snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query

from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import found, row_json
from serving_service.views import ServingViews

_JSON = ("model_alias", "autoscale_policy", "prompt_policy", "rollback_plan")


def endpoint_row(row: asyncpg.Record) -> dict[str, Any]:
    """A serving_endpoints row as JSON."""
    return row_json(row, json_columns=_JSON)


def plain_row(row: asyncpg.Record) -> dict[str, Any]:
    """A deployments or snapshots row as JSON."""
    return row_json(row)


def endpoints_router(views: ServingViews) -> APIRouter:
    """GET /endpoints[?environment=&as_of=], /endpoints/{id}, /endpoints/{id}/snapshots."""
    router = APIRouter(prefix="/endpoints", tags=["serving endpoints"])

    @router.get("", summary="The deployments serving now, or at as_of")
    async def deployments(
        *, page: Page, environment: str | None = None, as_of: datetime | None = None
    ) -> dict[str, Any]:
        """A page of deployments (endpoint, model version, prompt template) valid then."""
        return await views.deployments.page(page, plain_row, environment, as_of)

    @router.get("/{id}", summary="One endpoint now")
    async def detail(id: UUID) -> dict[str, Any]:
        """The endpoint's current state."""
        return found(await views.endpoints.one_json(endpoint_row, id), f"no endpoint {id}")

    @router.get("/{id}/snapshots", summary="An endpoint's snapshots by time bucket")
    async def snapshots(
        id: UUID,
        *,
        page: Page,
        from_: Annotated[datetime | None, Query(alias="from")] = None,
        to: datetime | None = None,
    ) -> dict[str, Any]:
        """A page of the endpoint's ObservabilitySnapshots in [from, to)."""
        found(await views.endpoints.one(id), f"no endpoint {id}")
        return await views.snapshots.page(page, plain_row, id, from_, to)

    return router
