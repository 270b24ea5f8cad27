"""Projection of the catalog's own events into model_versions and model_aliases."""

from __future__ import annotations

import json
from uuid import UUID

from llmops_events import catalog as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()


@projector.on(contracts.ModelVersionRegistered)
async def registered(rows: Rows, e: contracts.ModelVersionRegistered, env: EventEnvelope) -> None:
    """A new draft row."""
    wire = e.model_dump(mode="json")
    row = e.model_dump(include={"model_version_id", "name", "version", "type", "owner_team"})
    lineage = json.dumps(wire["lineage_dataset_ids"])
    row |= {
        "status": "draft", "metadata": json.dumps(wire["metadata"]),
        "storage_uri": e.storage_uri, "lineage_dataset_ids": lineage,
        "registered_by": e.registered_by, "created_at": env.committed_at,
        "lineage_training_job_id": e.lineage_training_job_id,
        "updated_at": env.committed_at,
    }  # fmt: skip
    await rows.insert("model_versions", row, on_conflict=("model_version_id",))


async def _transition(
    rows: Rows, version_id: UUID, status: str, actor: str, reason: str, env: EventEnvelope
) -> None:
    transition = {"to_status": status, "actor": actor, "reason": reason}
    await rows.update(
        "model_versions",
        {"model_version_id": version_id},
        {
            "status": status,
            "last_transition": json.dumps(transition),
            "updated_at": env.committed_at,
        },
    )


@projector.on(contracts.ModelVersionSubmitted)
async def submitted(rows: Rows, e: contracts.ModelVersionSubmitted, env: EventEnvelope) -> None:
    """Under review."""
    await _transition(rows, e.model_version_id, "under_review", e.submitted_by, e.reason, env)


@projector.on(contracts.ModelVersionApproved)
async def approved(rows: Rows, e: contracts.ModelVersionApproved, env: EventEnvelope) -> None:
    """Approved."""
    await _transition(rows, e.model_version_id, "approved", e.reviewer, e.reason, env)


@projector.on(contracts.ModelVersionRejected)
async def rejected(rows: Rows, e: contracts.ModelVersionRejected, env: EventEnvelope) -> None:
    """Back to draft."""
    await _transition(rows, e.model_version_id, "draft", e.reviewer, e.reason, env)


@projector.on(contracts.ModelVersionDeprecated)
async def deprecated(rows: Rows, e: contracts.ModelVersionDeprecated, env: EventEnvelope) -> None:
    """Deprecated."""
    await _transition(rows, e.model_version_id, "deprecated", e.deprecated_by, e.reason, env)


async def _alias(
    rows: Rows,
    e: contracts.ModelAliasAssigned | contracts.ModelAliasMoved | contracts.ModelAliasRemoved,
    version_id: UUID | None,
    actor: str,
    env: EventEnvelope,
) -> None:
    row = {"model_alias_id": e.model_alias_id, "name": e.name, "alias": e.alias}
    row |= {"model_version_id": version_id, "updated_by": actor, "updated_at": env.committed_at}
    await rows.upsert("model_aliases", row, key=("model_alias_id",))


@projector.on(contracts.ModelAliasAssigned)
async def alias_assigned(rows: Rows, e: contracts.ModelAliasAssigned, env: EventEnvelope) -> None:
    """The alias points at its version."""
    await _alias(rows, e, e.model_version_id, e.assigned_by, env)


@projector.on(contracts.ModelAliasMoved)
async def alias_moved(rows: Rows, e: contracts.ModelAliasMoved, env: EventEnvelope) -> None:
    """The alias points at another version."""
    await _alias(rows, e, e.model_version_id, e.moved_by, env)


@projector.on(contracts.ModelAliasRemoved)
async def alias_removed(rows: Rows, e: contracts.ModelAliasRemoved, env: EventEnvelope) -> None:
    """The alias points nowhere."""
    await _alias(rows, e, None, e.removed_by, env)
