"""The prompt read model's queries: what handlers and HTTP routers read, never the raw pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg

from llmops_runtime.http.pagination import KeyColumn, Keyset, PageRequest, fetch_page

TEMPLATES_KEY = Keyset(
    (
        KeyColumn("name", "text", "name"),
        KeyColumn("created_at", "timestamptz", "created_at"),
        KeyColumn("prompt_template_id", "uuid", "prompt_template_id"),
    )
)
LABELS_KEY = Keyset((KeyColumn("name", "text", "name"), KeyColumn("label", "text", "label")))
EXPERIMENTS_KEY = Keyset(
    (
        KeyColumn("start_at", "timestamptz", "start_at"),
        KeyColumn("prompt_experiment_id", "uuid", "prompt_experiment_id"),
    ),
    descending=True,
)

ToJson = Callable[[asyncpg.Record], dict[str, Any]]


class PromptViews:
    """Reads of the projection tables in the prompt service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema

    async def templates_page(
        self,
        page: PageRequest,
        to_json: ToJson,
        name: str | None,
        status: str | None,
        language: str | None,
        tag: str | None,
    ) -> dict[str, Any]:
        """One page of template versions (keyset `TEMPLATES_KEY`), each filter ignored if None."""
        return await fetch_page(
            self._pool, page, TEMPLATES_KEY,
            select=f"SELECT * FROM {self._schema}.prompt_templates",
            where="($1::text IS NULL OR name = $1)"
            " AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR language = $3)"
            " AND ($4::text IS NULL OR context_tags ? $4)",
            args=[name, status, language, tag], to_json=to_json,
        )  # fmt: skip

    async def template(self, prompt_template_id: UUID) -> asyncpg.Record | None:
        """One template version's row, or None."""
        return await self._pool.fetchrow(
            f"SELECT * FROM {self._schema}.prompt_templates WHERE prompt_template_id = $1",
            prompt_template_id,
        )

    async def labels_page(
        self, page: PageRequest, to_json: ToJson, name: str | None
    ) -> dict[str, Any]:
        """One page of the labels that point at a version (keyset `LABELS_KEY`)."""
        return await fetch_page(
            self._pool, page, LABELS_KEY,
            select=f"SELECT * FROM {self._schema}.prompt_labels",
            where="prompt_template_id IS NOT NULL AND ($1::text IS NULL OR name = $1)",
            args=[name], to_json=to_json,
        )  # fmt: skip

    async def label(self, name: str, label: str) -> asyncpg.Record | None:
        """One label's row, or None."""
        return await self._pool.fetchrow(
            f"SELECT * FROM {self._schema}.prompt_labels WHERE name = $1 AND label = $2",
            name,
            label,
        )

    async def experiments_page(
        self, page: PageRequest, to_json: ToJson, status: str | None, metric: str | None
    ) -> dict[str, Any]:
        """One page of experiments (keyset `EXPERIMENTS_KEY`), each filter ignored when None."""
        return await fetch_page(
            self._pool, page, EXPERIMENTS_KEY,
            select=f"SELECT * FROM {self._schema}.prompt_experiments",
            where="($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR metric = $2)",
            args=[status, metric], to_json=to_json,
        )  # fmt: skip

    async def experiment(self, prompt_experiment_id: UUID) -> asyncpg.Record | None:
        """One experiment's row, or None."""
        return await self._pool.fetchrow(
            f"SELECT * FROM {self._schema}.prompt_experiments WHERE prompt_experiment_id = $1",
            prompt_experiment_id,
        )

    async def governance_tokens(self) -> list[str]:
        """The union of every policy's current prohibited-token list."""
        rows = await self._pool.fetch(
            f"SELECT DISTINCT jsonb_array_elements_text(tokens) AS token"
            f" FROM {self._schema}.governance_prohibited_tokens ORDER BY token"
        )
        return [r["token"] for r in rows]
