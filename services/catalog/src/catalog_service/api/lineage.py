"""HTTP reads of what the catalog learned from other services (datasets, evaluations)."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter

from catalog_service.views import CatalogViews
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import row_json

# The list leaves out when the catalog first saw each version.
KNOWN_DATASET_JSON = functools.partial(row_json, drop=("seen_at",))


def lineage_router(views: CatalogViews) -> APIRouter:
    """GET /known-dataset-versions and /evaluation-runs (the local projections)."""
    router = APIRouter(tags=["consumed"])

    @router.get("/known-dataset-versions")
    async def datasets(name: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of dataset versions seen on llmops.dataset.events."""
        return await views.known_datasets.page(page, KNOWN_DATASET_JSON, name)

    @router.get("/evaluation-runs")
    async def evaluations(model_version_id: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of evaluation runs seen on llmops.evaluation.events."""
        return await views.evaluation_runs.page(page, row_json, model_version_id)

    return router
