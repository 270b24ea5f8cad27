"""HTTP reads of what the catalog learned from other services (datasets, evaluations)."""

from __future__ import annotations

import functools

from fastapi import APIRouter

from catalog_service.views import CatalogViews
from llmops_runtime.http.rows import row_json
from llmops_runtime.http.table_routes import add_list_route

# The list leaves out when the catalog first saw each version.
KNOWN_DATASET_JSON = functools.partial(row_json, drop=("seen_at",))


def lineage_router(views: CatalogViews) -> APIRouter:
    """GET /known-dataset-versions and /evaluation-runs (the local projections)."""
    router = APIRouter(tags=["consumed"])

    add_list_route(
        router, "/known-dataset-versions", views.known_datasets, KNOWN_DATASET_JSON,
        description="A page of dataset versions seen on llmops.dataset.events.",
    )  # fmt: skip

    add_list_route(
        router, "/evaluation-runs", views.evaluation_runs, row_json,
        description="A page of evaluation runs seen on llmops.evaluation.events.",
    )  # fmt: skip

    return router
