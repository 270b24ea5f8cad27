"""The prompt read model's queries: what handlers and HTTP routers read, never the raw pool."""

from __future__ import annotations

import asyncpg

from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads

TEMPLATES = TableReads(
    "prompt_templates",
    Keyset.of(("name", "text"), ("created_at", "timestamptz"), ("prompt_template_id", "uuid")),
    key=("prompt_template_id",),
    where="($1::text IS NULL OR name = $1)"
    " AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR language = $3)"
    " AND ($4::text IS NULL OR context_tags ? $4)",
    filters={"name": str, "status": str, "language": str, "tag": str},
)
# Only the labels that point at a version are listed.
LABELS = TableReads(
    "prompt_labels",
    Keyset.of(("name", "text"), ("label", "text")),
    key=("name", "label"),
    where="prompt_template_id IS NOT NULL AND ($1::text IS NULL OR name = $1)",
    filters={"name": str},
)
# Latest start first.
EXPERIMENTS = TableReads(
    "prompt_experiments",
    Keyset.of(("start_at", "timestamptz"), ("prompt_experiment_id", "uuid"), descending=True),
    key=("prompt_experiment_id",),
    where="($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR metric = $2)",
    filters={"status": str, "metric": str},
)


class PromptViews:
    """Reads of the projection tables in the prompt service's schema: a TableReader per table."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema
        self.templates = TEMPLATES.bound(pool, schema)
        self.labels = LABELS.bound(pool, schema)
        self.experiments = EXPERIMENTS.bound(pool, schema)

    async def governance_tokens(self) -> list[str]:
        """The union of every policy's current prohibited-token list."""
        rows = await self._pool.fetch(
            f"SELECT DISTINCT jsonb_array_elements_text(tokens) AS token"
            f" FROM {self._schema}.governance_prohibited_tokens ORDER BY token"
        )
        return [r["token"] for r in rows]
