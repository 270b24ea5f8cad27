"""Contracts of the catalog service: model versions (ModelCatalogEntry) and aliases."""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, JsonValue

from llmops_events.base import CommandContract, EventContract, Name, Text, Uri

ModelType = Literal["base", "fine-tuned", "external"]
ModelStatus = Literal["draft", "under_review", "approved", "deprecated"]
EvaluationType = Literal["automated", "human", "llm_judge"]
EvaluationStatus = Literal["completed", "failed"]


# --- events -------------------------------------------------------------------------------


class ModelVersionRegistered(EventContract):
    """A model version was registered as a draft."""

    WIRE_NAME = "catalog.model_version.registered"
    model_version_id: UUID
    name: Name
    version: Name
    type: ModelType
    owner_team: Name
    metadata: dict[str, JsonValue]
    storage_uri: Uri | None
    lineage_dataset_ids: list[UUID]
    registered_by: Name
    # The succeeded training job that produced a fine-tuned version (added in v1: optional).
    lineage_training_job_id: UUID | None = None


class ModelVersionSubmitted(EventContract):
    """A draft model version was submitted for review."""

    WIRE_NAME = "catalog.model_version.submitted"
    model_version_id: UUID
    submitted_by: Name
    reason: Text


class ModelVersionApproved(EventContract):
    """A reviewer approved a model version on the evidence of the named evaluation runs."""

    WIRE_NAME = "catalog.model_version.approved"
    model_version_id: UUID
    name: Name
    version: Name
    type: ModelType
    reviewer: Name
    reason: Text
    evaluation_run_ids: list[UUID]


class ModelVersionRejected(EventContract):
    """A reviewer sent a model version under review back to draft."""

    WIRE_NAME = "catalog.model_version.rejected"
    model_version_id: UUID
    reviewer: Name
    reason: Text


class ModelVersionDeprecated(EventContract):
    """An approved model version was deprecated (superseded or a policy violation)."""

    WIRE_NAME = "catalog.model_version.deprecated"
    model_version_id: UUID
    deprecated_by: Name
    reason: Text


class ModelVersionEvaluationRecorded(EventContract):
    """An evaluation run of the version was learned; its evaluation_summary changed."""

    WIRE_NAME = "catalog.model_version.evaluation_recorded"
    model_version_id: UUID
    run_id: UUID
    evaluation_type: EvaluationType
    status: EvaluationStatus
    metrics: dict[str, JsonValue]
    completed_at: AwareDatetime


class ModelAliasAssigned(EventContract):
    """An alias of a model name was created, pointing at an approved version."""

    WIRE_NAME = "catalog.model_alias.assigned"
    model_alias_id: UUID
    name: Name
    alias: Name
    model_version_id: UUID
    assigned_by: Name


class ModelAliasMoved(EventContract):
    """An alias moved atomically to another approved version (or back after removal)."""

    WIRE_NAME = "catalog.model_alias.moved"
    model_alias_id: UUID
    name: Name
    alias: Name
    previous_model_version_id: UUID | None
    model_version_id: UUID
    moved_by: Name


class ModelAliasRemoved(EventContract):
    """An alias stopped pointing at any version."""

    WIRE_NAME = "catalog.model_alias.removed"
    model_alias_id: UUID
    name: Name
    alias: Name
    previous_model_version_id: UUID
    removed_by: Name


# --- commands -----------------------------------------------------------------------------


class RegisterModelVersion(CommandContract):
    """Register a model version as a draft."""

    WIRE_NAME = "catalog.register_model_version"
    name: Name
    version: Name = Field(description="Semantic version, unique per (name, type).")
    type: ModelType
    owner_team: Name
    metadata: dict[str, JsonValue] = Field(
        description="Model card; must include purpose, scope, contact and licensing."
    )
    storage_uri: Uri | None = None
    lineage_dataset_ids: list[UUID] = Field(default_factory=list)
    lineage_training_job_id: UUID | None = Field(
        default=None, description="The succeeded training job that produced this version."
    )


class SubmitModelVersion(CommandContract):
    """Ask reviewers to approve a draft model version."""

    WIRE_NAME = "catalog.submit_model_version"
    model_version_id: UUID
    reason: Text


class ApproveModelVersion(CommandContract):
    """Approve a model version under review (needs automated and human/judge evaluations)."""

    WIRE_NAME = "catalog.approve_model_version"
    model_version_id: UUID
    reason: Text


class RejectModelVersion(CommandContract):
    """Send a model version under review back to draft."""

    WIRE_NAME = "catalog.reject_model_version"
    model_version_id: UUID
    reason: Text


class DeprecateModelVersion(CommandContract):
    """Deprecate an approved model version."""

    WIRE_NAME = "catalog.deprecate_model_version"
    model_version_id: UUID
    reason: Text


class SetModelAlias(CommandContract):
    """Point an alias of a model name at an approved version, creating or moving it."""

    WIRE_NAME = "catalog.set_model_alias"
    name: Name
    alias: Name
    model_version_id: UUID


class RemoveModelAlias(CommandContract):
    """Remove an alias of a model name."""

    WIRE_NAME = "catalog.remove_model_alias"
    name: Name
    alias: Name


EVENTS: tuple[type[EventContract], ...] = (
    ModelVersionRegistered,
    ModelVersionSubmitted,
    ModelVersionApproved,
    ModelVersionRejected,
    ModelVersionDeprecated,
    ModelVersionEvaluationRecorded,
    ModelAliasAssigned,
    ModelAliasMoved,
    ModelAliasRemoved,
)
# Internal: kept in the event store for the service's own rules, never published.
INTERNAL: tuple[type[EventContract], ...] = (ModelVersionEvaluationRecorded,)
# What other services may consume from `llmops.catalog.events`.
PUBLISHED: tuple[type[EventContract], ...] = tuple(e for e in EVENTS if e not in INTERNAL)
COMMANDS: tuple[type[CommandContract], ...] = (
    RegisterModelVersion,
    SubmitModelVersion,
    ApproveModelVersion,
    RejectModelVersion,
    DeprecateModelVersion,
    SetModelAlias,
    RemoveModelAlias,
)
