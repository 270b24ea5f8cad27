"""Policy violations recorded by governance: an approved model version is deprecated.

Spec: "approved -> deprecated when superseded or policy violation detected". The violation is
kept (the model version's record shows it), and the deprecation is appended to the catalog's
own store in the same transaction as the projection's offset: once per violation.
"""

from __future__ import annotations

from catalog_service.domain import ModelVersion
from llmops_events.governance import PolicyViolationRecorded
from llmops_runtime.eventstore.records import EventMetadata
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.reactions import react
from llmops_runtime.relay.envelope import EventEnvelope

# The actor the deprecation is recorded under: the governance decision, not a person here.
GOVERNANCE_ACTOR = "system:governance"

violations = Projector()


def deprecation_for(violation: PolicyViolationRecorded) -> str:
    """The reason a deprecation caused by the violation records."""
    return (
        f"policy violation {violation.violation_id} of policy {violation.policy_id}"
        f" recorded by {violation.recorded_by}: {violation.details}"
    )[:2000]


@violations.on(PolicyViolationRecorded)
async def violation_recorded(rows: Rows, e: PolicyViolationRecorded, env: EventEnvelope) -> None:
    """Deprecate the model version if it is approved; keep the violation either way."""
    if e.resource_type != "model_version":
        return

    def deprecate(version: ModelVersion) -> bool:
        if version.status != "approved":
            return False
        version.deprecate(actor=GOVERNANCE_ACTOR, reason=deprecation_for(e))
        return True

    metadata = EventMetadata(
        actor=GOVERNANCE_ACTOR, causation_id=str(env.event_id),
        correlation_id=str(env.metadata.get("correlation_id") or env.event_id),
    )  # fmt: skip
    deprecated = await react(
        rows.conn, rows.schema, e.resource_id, ModelVersion, deprecate, metadata
    )
    row = {
        "violation_id": e.violation_id, "policy_id": e.policy_id,
        "model_version_id": e.resource_id, "details": e.details, "recorded_by": e.recorded_by,
        "deprecated": deprecated, "recorded_at": env.committed_at,
    }  # fmt: skip
    await rows.insert("policy_violations", row, on_conflict=("violation_id",))
