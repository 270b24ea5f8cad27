"""GET of a read-model table with no filters: a page in key order, and one row by its id."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import ToJson, found, row_json
from llmops_runtime.read_model_views import TableReader


def table_router(
    prefix: str, reader: TableReader, *, what: str, to_json: ToJson = row_json
) -> APIRouter:
    """GET prefix (a page of rows) and GET prefix/{id} (the row whose uuid key is id, or 404)."""
    router = APIRouter(prefix=prefix, tags=[prefix.strip("/")])

    @router.get("")
    async def list_rows(*, page: Page) -> dict[str, Any]:
        """A page of rows in key order."""
        return await reader.page(page, to_json)

    @router.get("/{id}")
    async def detail(id: UUID) -> dict[str, Any]:
        """One row."""
        return to_json(found(await reader.one(id), f"no {what} {id}"))

    return router
