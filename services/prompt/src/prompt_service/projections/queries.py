"""The prompt service's read model over its projection tables, for the handlers."""

from __future__ import annotations

import asyncpg


class PostgresPromptReadModel:
    """Reads governance_prohibited_tokens in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema

    async def governance_tokens(self) -> list[str]:
        """The union of every policy's current prohibited-token list."""
        rows = await self.pool.fetch(
            f"SELECT DISTINCT jsonb_array_elements_text(tokens) AS token"
            f" FROM {self.schema}.governance_prohibited_tokens ORDER BY token"
        )
        return [r["token"] for r in rows]
