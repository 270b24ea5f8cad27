"""Built once per started service: the views both handlers and HTTP routers use."""

from catalog_service.api import build_routers
from catalog_service.application import build_registry
from catalog_service.views import CatalogViews
from llmops_runtime.service import Built, ServiceResources, Wiring


def bootstrap(resources: ServiceResources) -> Built[CatalogViews]:
    """The catalog handlers and routers over one set of views of datasets and evaluations."""
    views = CatalogViews(resources.pool, resources.schema)
    return Built(views, build_registry(views), build_routers(views, resources.store))


WIRING = Wiring(bootstrap)
