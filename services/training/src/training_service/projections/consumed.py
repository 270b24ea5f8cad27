"""Projections of other services' events the submission and retry rules depend on."""

from __future__ import annotations

from llmops_events import catalog as catalog_contracts
from llmops_events import dataset as dataset_contracts
from llmops_events import governance as governance_contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

# Base models the catalog approved, and whether it deprecated them since.
models = Projector()
# Dataset versions the dataset service approved (immutable snapshots).
datasets = Projector()
# Governance overrides of the 3-retry cap, one per training job.
overrides = Projector()


@models.on(catalog_contracts.ModelVersionApproved)
async def model_approved(
    rows: Rows, e: catalog_contracts.ModelVersionApproved, env: EventEnvelope
) -> None:
    """Approved (a deprecation seen earlier is not undone by a late approval)."""
    row = {"model_entry_id": e.model_version_id, "name": e.name, "version": e.version}
    await rows.insert(
        "catalog_models", row | {"status": "approved", "updated_at": env.committed_at},
        on_conflict=("model_entry_id",),
    )  # fmt: skip


@models.on(catalog_contracts.ModelVersionDeprecated)
async def model_deprecated(
    rows: Rows, e: catalog_contracts.ModelVersionDeprecated, env: EventEnvelope
) -> None:
    """Deprecated: no new job may use it."""
    row = {"model_entry_id": e.model_version_id, "status": "deprecated"}
    await rows.upsert(
        "catalog_models", row | {"updated_at": env.committed_at}, key=("model_entry_id",)
    )


@datasets.on(dataset_contracts.DatasetVersionApproved)
async def dataset_approved(
    rows: Rows, e: dataset_contracts.DatasetVersionApproved, env: EventEnvelope
) -> None:
    """An approved dataset version."""
    row = {"dataset_version_id": e.dataset_version_id, "name": e.name, "version": e.version}
    row |= {"approved_at": e.approved_at}
    await rows.insert("approved_datasets", row, on_conflict=("dataset_version_id",))


@overrides.on(governance_contracts.RetryOverrideApproved)
async def override_approved(
    rows: Rows, e: governance_contracts.RetryOverrideApproved, env: EventEnvelope
) -> None:
    """The job's retry cap becomes max_retries (the latest approval wins)."""
    row: dict[str, object] = {"training_job_id": e.training_job_id, "override_id": e.override_id}
    row |= {"max_retries": e.max_retries, "approved_by": e.approved_by}
    await rows.upsert(
        "retry_overrides", row | {"approved_at": env.committed_at}, key=("training_job_id",)
    )
