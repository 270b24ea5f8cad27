"""The cost service as the host runs it: its handlers, projection and read API."""

from cost_service.application import register_item
from cost_service.domain import AGGREGATES
from cost_service.projections import ITEMS, TABLES, projector
from llmops_events import cost as contracts
from llmops_runtime.auth import Permission
from llmops_runtime.http.table_routes import table_router
from llmops_runtime.service import Built, ServiceResources, Wiring, registry_of


def bootstrap(resources: ServiceResources) -> Built[None]:
    """The handlers, and GET /items[/{id}] over the items table."""
    items = ITEMS.bound(resources.pool, resources.schema)
    return Built(None, registry_of(register_item), [table_router("/items", items, what="item")])


SERVICE = Wiring(bootstrap).definition(
    "cost", http_port=8107, contracts=contracts, event_classes=AGGREGATES,
    projections=[TABLES.own_events("cost_read_model", projector)],
    permissions={contracts.RegisterCostItem: Permission("register", "item")},
)  # fmt: skip
