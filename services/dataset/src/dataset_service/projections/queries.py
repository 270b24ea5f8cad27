"""The dataset service's read model over dataset_versions, for handlers and the HTTP API."""

from __future__ import annotations

import asyncpg


class PostgresDatasetReadModel:
    """Reads dataset_versions in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema

    async def latest_version(self, name: str) -> str | None:
        """The most recently registered version of the dataset `name`, or None."""
        latest: str | None = await self.pool.fetchval(
            f"SELECT version FROM {self.schema}.dataset_versions WHERE name = $1"
            " ORDER BY registered_seq DESC LIMIT 1",
            name,
        )
        return latest
