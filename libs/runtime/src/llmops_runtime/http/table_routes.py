"""GET of a read-model table: a page in key order (its filters as query parameters), one row."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, create_model

from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import ToJson, found, row_json
from llmops_runtime.read_model_views import TableReader


def filters_model(reader: TableReader) -> type[BaseModel]:
    """The query parameters of the reader's filters, each optional (None: not filtered)."""
    fields: dict[str, Any] = {
        name: (kind | None, None) for name, kind in reader.reads.filters.items()
    }
    return create_model(f"{reader.reads.table}_filters", **fields)


def add_list_route(
    router: APIRouter, path: str, reader: TableReader, to_json: ToJson, *, description: str
) -> None:
    """GET path: a page of the reader's rows in key order, filtered by its declared filters."""

    async def list_rows(query: BaseModel, *, page: Page) -> dict[str, Any]:
        return await reader.page(page, to_json, *query.model_dump().values())

    # The model is built at run time, so FastAPI is told it here: one query parameter a field.
    list_rows.__annotations__["query"] = Annotated[filters_model(reader), Query()]
    router.get(path, description=description)(list_rows)


def table_router(
    prefix: str, reader: TableReader, *, what: str, to_json: ToJson = row_json
) -> APIRouter:
    """GET prefix (a page of rows) and GET prefix/{id} (the row whose uuid key is id, or 404)."""
    router = APIRouter(prefix=prefix, tags=[prefix.strip("/")])
    add_list_route(router, "", reader, to_json, description=f"A page of {what} rows in key order.")

    @router.get("/{id}")
    async def detail(id: UUID) -> dict[str, Any]:
        """One row."""
        return to_json(found(await reader.one(id), f"no {what} {id}"))

    return router
