"""The catalog service as the host runs it: events, handlers, projections, read API."""

from catalog_service.bootstrap import WIRING
from catalog_service.domain import AGGREGATES
from catalog_service.projections import projections
from catalog_service.views import CatalogViews
from llmops_events import catalog as contracts
from llmops_events import dataset as dataset_contracts
from llmops_events import evaluation as evaluation_contracts
from llmops_events import governance as governance_contracts
from llmops_events import training as training_contracts
from llmops_runtime.auth import Permission, from_payload
from llmops_runtime.governance import POLICY_EVENTS

_OWNER = CatalogViews.owner_team_of
_REGISTRANT = from_payload("owner_team")
# What each command needs; a role binding scoped to an owner team grants it for that team's
# model versions only.
PERMISSIONS = {
    contracts.RegisterModelVersion: Permission("register", "model_version", _REGISTRANT),
    contracts.SubmitModelVersion: Permission("submit", "model_version", _OWNER),
    contracts.ApproveModelVersion: Permission("approve", "model_version", _OWNER),
    contracts.RejectModelVersion: Permission("review", "model_version", _OWNER),
    contracts.DeprecateModelVersion: Permission("deprecate", "model_version", _OWNER),
    contracts.SetModelAlias: Permission("deploy", "model_alias", _OWNER),
    contracts.RemoveModelAlias: Permission("deploy", "model_alias"),
}  # fmt: skip

SERVICE = WIRING.definition(
    "catalog", http_port=8101, contracts=contracts, event_classes=AGGREGATES,
    projections=projections(), permissions=PERMISSIONS,
    consumed_event_contracts=(
        dataset_contracts.DatasetVersionRegistered,
        dataset_contracts.DatasetVersionApproved,
        *evaluation_contracts.PUBLISHED,
        training_contracts.TrainingJobSucceeded,
        *POLICY_EVENTS,
        governance_contracts.PolicyViolationRecorded,
    ),
)  # fmt: skip
