"""The dataset service as the host runs it: events, handlers, projections, read API."""

from dataset_service.bootstrap import WIRING
from dataset_service.domain import AGGREGATES
from dataset_service.projections import projections
from llmops_events import dataset as contracts

SERVICE = WIRING.definition(
    "dataset", http_port=8102, contracts=contracts, event_classes=AGGREGATES,
    projections=projections(),
)  # fmt: skip
