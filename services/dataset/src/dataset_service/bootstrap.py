"""Built once per started service: the views both handlers and HTTP routers use."""

from dataset_service.api import dataset_versions_router
from dataset_service.application import build_registry
from dataset_service.views import DatasetViews
from llmops_runtime.service import Built, ServiceResources, Wiring


def bootstrap(resources: ServiceResources) -> Built[DatasetViews]:
    """The dataset handlers and routers over one set of views."""
    views = DatasetViews(resources.pool, resources.schema)
    return Built(views, build_registry(views), [dataset_versions_router(views, resources.store)])


WIRING = Wiring(bootstrap)
