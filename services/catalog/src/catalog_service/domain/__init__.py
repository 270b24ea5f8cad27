"""The catalog's pure domain: model versions (ModelCatalogEntry) and their aliases."""

from catalog_service.domain.errors import AliasTargetNotApproved, MissingEvaluations
from catalog_service.domain.evaluations import EvaluationSummary
from catalog_service.domain.model_alias import AliasTarget, ModelAlias
from catalog_service.domain.model_version import ModelVersion, Transition
from catalog_service.domain.policies import GoverningPolicy, PolicyRequirementsUnmet

# The spec's name for a model version.
ModelCatalogEntry = ModelVersion

AGGREGATES = (ModelVersion, ModelAlias)

__all__ = [
    "AGGREGATES",
    "AliasTarget",
    "AliasTargetNotApproved",
    "EvaluationSummary",
    "GoverningPolicy",
    "MissingEvaluations",
    "ModelAlias",
    "ModelCatalogEntry",
    "ModelVersion",
    "PolicyRequirementsUnmet",
    "Transition",
]
