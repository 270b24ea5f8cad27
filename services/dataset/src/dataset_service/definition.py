"""The dataset service as the host runs it: events, handlers, projections, read API."""

from dataset_service.bootstrap import WIRING
from dataset_service.domain import AGGREGATES
from dataset_service.projections import projections
from dataset_service.views import DatasetViews
from llmops_events import dataset as contracts
from llmops_runtime.auth import Permission, from_payload
from llmops_runtime.governance import POLICY_EVENTS

_OWNER = DatasetViews.owner_team_of
_REGISTRANT = from_payload("owner_team")
# What each command needs; a binding scoped to an owner team grants it for that team's data.
PERMISSIONS = {
    contracts.RegisterDatasetVersion: Permission("register", "dataset_version", _REGISTRANT),
    contracts.RecordPiiScan: Permission("record_evidence", "dataset_version", _OWNER),
    contracts.RecordQualityScore: Permission("record_evidence", "dataset_version", _OWNER),
    contracts.AmendChangeLog: Permission("amend", "dataset_version", _OWNER),
    contracts.ApproveDatasetVersion: Permission("approve", "dataset_version", _OWNER),
}  # fmt: skip

SERVICE = WIRING.definition(
    "dataset", http_port=8102, contracts=contracts, event_classes=AGGREGATES,
    projections=projections(), permissions=PERMISSIONS, consumed_event_contracts=POLICY_EVENTS,
)  # fmt: skip
