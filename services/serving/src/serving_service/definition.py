"""The serving service as the host runs it: its handlers, projection and read API."""

from llmops_events import serving as contracts
from llmops_runtime.auth import Permission
from llmops_runtime.http.table_routes import table_router
from llmops_runtime.service import Built, ServiceResources, Wiring, registry_of
from serving_service.application import register_item
from serving_service.domain import AGGREGATES
from serving_service.projections import ITEMS, TABLES, projector


def bootstrap(resources: ServiceResources) -> Built[None]:
    """The handlers, and GET /items[/{id}] over the items table."""
    items = ITEMS.bound(resources.pool, resources.schema)
    return Built(None, registry_of(register_item), [table_router("/items", items, what="item")])


SERVICE = Wiring(bootstrap).definition(
    "serving", http_port=8105, contracts=contracts, event_classes=AGGREGATES,
    projections=[TABLES.own_events("serving_read_model", projector)],
    permissions={contracts.RegisterServingItem: Permission("register", "item")},
)  # fmt: skip
