"""Built once per started service: the read model both handlers and HTTP routers use."""

from catalog_service.api import build_routers
from catalog_service.application import build_registry
from catalog_service.projections import PostgresCatalogReadModel
from llmops_runtime.service import Built, ServiceResources, Wiring


def bootstrap(resources: ServiceResources) -> Built[PostgresCatalogReadModel]:
    """The catalog handlers and routers over one read model of datasets and evaluations."""
    reads = PostgresCatalogReadModel(resources.pool, resources.schema)
    return Built(reads, build_registry(reads), build_routers(resources, reads))


WIRING = Wiring(bootstrap)
