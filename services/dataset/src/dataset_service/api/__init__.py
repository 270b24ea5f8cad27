"""The dataset service's HTTP read API (built in `dataset_service.bootstrap`)."""

from dataset_service.api.dataset_versions import dataset_versions_router

__all__ = ["dataset_versions_router"]
