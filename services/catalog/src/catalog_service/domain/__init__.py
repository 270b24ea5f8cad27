"""The catalog's pure domain: model versions (ModelCatalogEntry) and their aliases."""

from catalog_service.domain.errors import (
    AliasTargetNotApproved,
    DomainError,
    DuplicateVersion,
    InvalidTransition,
    MissingEvaluations,
    NotFound,
    ValidationFailed,
)
from catalog_service.domain.evaluations import EvaluationSummary
from catalog_service.domain.model_alias import AliasTarget, ModelAlias
from catalog_service.domain.model_version import ModelVersion, Transition

# The spec's name for a model version.
ModelCatalogEntry = ModelVersion

AGGREGATES = (ModelVersion, ModelAlias)

# Every concrete event class, for the event store's wire-name mapping.
EVENT_CLASSES: tuple[type, ...] = (
    ModelVersion.Registered,
    ModelVersion.Submitted,
    ModelVersion.Approved,
    ModelVersion.Rejected,
    ModelVersion.Deprecated,
    ModelVersion.EvaluationRecorded,
    ModelAlias.Assigned,
    ModelAlias.Moved,
    ModelAlias.Removed,
)

__all__ = [
    "AGGREGATES",
    "EVENT_CLASSES",
    "AliasTarget",
    "AliasTargetNotApproved",
    "DomainError",
    "DuplicateVersion",
    "EvaluationSummary",
    "InvalidTransition",
    "MissingEvaluations",
    "ModelAlias",
    "ModelCatalogEntry",
    "ModelVersion",
    "NotFound",
    "Transition",
    "ValidationFailed",
]
