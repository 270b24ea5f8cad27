"""The dataset read model's queries: what the HTTP routers read, never the raw pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from llmops_runtime.http.pagination import KeyColumn, Keyset, PageRequest, fetch_page

# Registration order within a name; the id breaks ties so every row has one place.
VERSIONS_KEY = Keyset(
    (
        KeyColumn("name", "text", "name"),
        KeyColumn("registered_seq", "bigint", "registered_seq"),
        KeyColumn("dataset_version_id", "uuid", "dataset_version_id"),
    )
)
_VERSIONS_WHERE = (
    "($1::text IS NULL OR name = $1)"
    " AND ($2::text IS NULL OR pii_scan_status = $2)"
    " AND ($3::bool IS NULL OR (approved_at IS NOT NULL) = $3)"
    " AND ($4::text IS NULL OR owner_team = $4)"
)


class DatasetViews:
    """Reads of dataset_versions in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema

    async def versions(
        self,
        name: str | None,
        pii_scan_status: str | None,
        approved: bool | None,
        owner_team: str | None,
    ) -> list[asyncpg.Record]:
        """Dataset versions in registration order, each filter ignored when None."""
        return list(
            await self._pool.fetch(
                f"SELECT * FROM {self._schema}.dataset_versions WHERE {_VERSIONS_WHERE}"
                " ORDER BY name, registered_seq, dataset_version_id",
                name, pii_scan_status, approved, owner_team,
            )
        )  # fmt: skip

    async def versions_page(
        self,
        page: PageRequest,
        to_json: Callable[[asyncpg.Record], dict[str, Any]],
        name: str | None,
        pii_scan_status: str | None,
        approved: bool | None,
        owner_team: str | None,
    ) -> dict[str, Any]:
        """One page of versions (keyset `VERSIONS_KEY`), each filter ignored when None."""
        return await fetch_page(
            self._pool, page, VERSIONS_KEY,
            select=f"SELECT * FROM {self._schema}.dataset_versions", where=_VERSIONS_WHERE,
            args=[name, pii_scan_status, approved, owner_team], to_json=to_json,
        )  # fmt: skip

    async def version(self, dataset_version_id: UUID) -> asyncpg.Record | None:
        """One dataset version's row, or None."""
        return await self._pool.fetchrow(
            f"SELECT * FROM {self._schema}.dataset_versions WHERE dataset_version_id = $1",
            dataset_version_id,
        )

    async def owner_team_of(self, command: BaseModel) -> str | None:
        """The owner team of the dataset version a command names (permission scoping)."""
        owner = await self._pool.fetchval(
            f"SELECT owner_team FROM {self._schema}.dataset_versions WHERE dataset_version_id = $1",
            getattr(command, "dataset_version_id", None),
        )
        return str(owner) if owner is not None else None
