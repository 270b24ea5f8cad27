"""The catalog service as the host runs it: events, handlers, projections, read API."""

from catalog_service.bootstrap import WIRING
from catalog_service.domain import AGGREGATES
from catalog_service.projections import projections
from llmops_events import catalog as contracts
from llmops_events import dataset as dataset_contracts
from llmops_events import evaluation as evaluation_contracts

SERVICE = WIRING.definition(
    "catalog", http_port=8101, contracts=contracts, event_classes=AGGREGATES,
    projections=projections(),
    consumed_event_contracts=(
        dataset_contracts.DatasetVersionRegistered,
        dataset_contracts.DatasetVersionApproved,
        *evaluation_contracts.EVENTS,
    ),
)  # fmt: skip
