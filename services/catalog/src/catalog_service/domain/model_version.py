"""ModelVersion: one version of a model (the spec's ModelCatalogEntry) and its review life."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from catalog_service.domain.errors import MissingEvaluations
from catalog_service.domain.evaluation_summary import summarize
from catalog_service.domain.evaluations import (
    EvaluationSummary,
    completed_evaluations_of,
    missing_evidence,
)
from catalog_service.domain.policies import GoverningPolicy, require_policies_satisfied
from catalog_service.domain.registration import validate_registration
from llmops_domain.errors import InvalidTransition, SeparationOfDuties, ValidationFailed
from llmops_events import catalog as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:catalog:model_version")


@dataclass(frozen=True)
class Transition:
    """Who moved the version between statuses, when and why."""

    from_status: str
    to_status: str
    actor: str
    reason: str
    at: str


def _require_reason(actor: str, reason: str) -> None:
    errors = {}
    if not actor.strip():
        errors["actor"] = "required"
    if not reason.strip():
        errors["reason"] = "required: every transition records why"
    if errors:
        raise ValidationFailed(errors)


class ModelVersion(Aggregate):
    """A registered model version: draft -> under_review -> approved -> deprecated."""

    class Registered(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.ModelVersionRegistered.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelVersionRegistered.SCHEMA_VERSION
        model_version_id: str
        name: str
        version: str
        type: str
        owner_team: str
        metadata: dict[str, Any]
        storage_uri: str | None
        lineage_dataset_ids: list[str]
        registered_by: str
        lineage_training_job_id: str | None = None

    class Transitioned(Aggregate.Event):
        """Base of the review transitions; subclasses name the target status."""

        to_status: ClassVar[str]
        model_version_id: str

        def record(self, aggregate: ModelVersion, actor: str, reason: str) -> None:
            aggregate.transitions.append(
                Transition(
                    aggregate.status, self.to_status, actor, reason, self.timestamp.isoformat()
                )
            )
            aggregate.status = self.to_status

    class Submitted(Transitioned):
        wire_name: ClassVar[str] = contracts.ModelVersionSubmitted.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelVersionSubmitted.SCHEMA_VERSION
        to_status: ClassVar[str] = "under_review"
        submitted_by: str
        reason: str

        def apply(self, aggregate: ModelVersion) -> None:
            self.record(aggregate, self.submitted_by, self.reason)
            aggregate.submitted_by.add(self.submitted_by)

    class Approved(Transitioned):
        wire_name: ClassVar[str] = contracts.ModelVersionApproved.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelVersionApproved.SCHEMA_VERSION
        to_status: ClassVar[str] = "approved"
        name: str
        version: str
        type: str
        reviewer: str
        reason: str
        evaluation_run_ids: list[str]

        def apply(self, aggregate: ModelVersion) -> None:
            self.record(aggregate, self.reviewer, self.reason)
            aggregate.approval_evaluation_run_ids = list(self.evaluation_run_ids)

    class Rejected(Transitioned):
        wire_name: ClassVar[str] = contracts.ModelVersionRejected.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelVersionRejected.SCHEMA_VERSION
        to_status: ClassVar[str] = "draft"
        reviewer: str
        reason: str

        def apply(self, aggregate: ModelVersion) -> None:
            self.record(aggregate, self.reviewer, self.reason)

    class Deprecated(Transitioned):
        wire_name: ClassVar[str] = contracts.ModelVersionDeprecated.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelVersionDeprecated.SCHEMA_VERSION
        to_status: ClassVar[str] = "deprecated"
        deprecated_by: str
        reason: str

        def apply(self, aggregate: ModelVersion) -> None:
            self.record(aggregate, self.deprecated_by, self.reason)

    class EvaluationRecorded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ModelVersionEvaluationRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelVersionEvaluationRecorded.SCHEMA_VERSION
        model_version_id: str
        run_id: str
        evaluation_type: str
        status: str
        metrics: dict[str, Any]
        completed_at: str

        def apply(self, aggregate: ModelVersion) -> None:
            run = EvaluationSummary(
                run_id=self.run_id,
                model_version_id=self.model_version_id,
                type=self.evaluation_type,  # type: ignore[arg-type]
                status=self.status,
                completed_at=self.completed_at,
                metrics=dict(self.metrics),
            )
            aggregate.evaluations[run.run_id] = run
            aggregate.evaluation_summary = summarize(aggregate.evaluations.values())

    def __init__(
        self,
        model_version_id: str,
        name: str,
        version: str,
        type: str,
        owner_team: str,
        metadata: dict[str, Any],
        storage_uri: str | None,
        lineage_dataset_ids: list[str],
        registered_by: str,
        lineage_training_job_id: str | None = None,
    ) -> None:
        self.name = name
        # `version` is the library's event counter, so the semantic version lives here.
        self.version_label = version
        self.type = type
        self.owner_team = owner_team
        self.metadata = dict(metadata)
        self.storage_uri = storage_uri
        self.lineage_dataset_ids = list(lineage_dataset_ids)
        self.lineage_training_job_id = lineage_training_job_id
        self.registered_by = registered_by
        self.submitted_by: set[str] = set()
        self.status = "draft"
        self.transitions: list[Transition] = []
        self.evaluations: dict[str, EvaluationSummary] = {}
        self.evaluation_summary: dict[str, Any] = {}
        self.approval_evaluation_run_ids: list[str] = []

    @classmethod
    def id_for(cls, name: str, type: str, version: str) -> UUID:
        """The deterministic id of (name, type, version): a duplicate collides at the store."""
        return uuid5(NAMESPACE, f"{name}|{type}|{version}")

    @classmethod
    def register(
        cls,
        *,
        name: str,
        version: str,
        type: str,
        owner_team: str,
        metadata: Mapping[str, Any],
        storage_uri: str | None,
        lineage_dataset_ids: Sequence[str],
        known_dataset_ids: Collection[str],
        actor: str,
        lineage_training_job_id: str | None = None,
        training_job_succeeded: bool = False,
    ) -> ModelVersion:
        """Register a draft; lineage may name only dataset versions in `known_dataset_ids`."""
        lineage = list(dict.fromkeys(lineage_dataset_ids))
        validate_registration(
            name=name,
            version=version,
            type=type,
            owner_team=owner_team,
            metadata=metadata,
            storage_uri=storage_uri,
            lineage_dataset_ids=lineage,
            known_dataset_ids=known_dataset_ids,
            training_job_id=lineage_training_job_id,
            training_job_succeeded=training_job_succeeded,
        )
        model_version_id = cls.id_for(name, type, version)
        return cls._create(
            cls.Registered,
            id=model_version_id,
            model_version_id=str(model_version_id),
            name=name,
            version=version,
            type=type,
            owner_team=owner_team,
            metadata=dict(metadata),
            storage_uri=storage_uri,
            lineage_dataset_ids=lineage,
            registered_by=actor,
            lineage_training_job_id=lineage_training_job_id,
        )

    @property
    def created_at(self) -> datetime:
        """When the version was registered."""
        return self.created_on

    @property
    def updated_at(self) -> datetime:
        """When the version last changed."""
        return self.modified_on

    def _require_status(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(action, self.status, allowed, subject="model version")

    def submit(self, *, actor: str, reason: str) -> None:
        """draft -> under_review: the submitter asks reviewers for approval."""
        self._require_status("submit", "draft")
        _require_reason(actor, reason)
        self.trigger_event(
            self.Submitted, model_version_id=str(self.id), submitted_by=actor, reason=reason
        )

    def approve(
        self,
        *,
        reviewer: str,
        reason: str,
        evaluations: Sequence[EvaluationSummary],
        policies: Sequence[GoverningPolicy] = (),
    ) -> None:
        """under_review -> approved, given completed automated and human/judge evaluations.

        Separation of duties: whoever registered or submitted the version cannot approve it;
        the active policies of the model scope must be reviewed and their evaluations met.
        """
        self._require_status("approve", "under_review")
        _require_reason(reviewer, reason)
        self._require_independent(reviewer, "approve")
        evidence = completed_evaluations_of(str(self.id), evaluations)
        missing = missing_evidence(evidence)
        if missing:
            raise MissingEvaluations(missing)
        require_policies_satisfied(policies, evidence)
        self.trigger_event(
            self.Approved,
            model_version_id=str(self.id),
            name=self.name,
            version=self.version_label,
            type=self.type,
            reviewer=reviewer,
            reason=reason,
            evaluation_run_ids=sorted({e.run_id for e in evidence}),
        )

    def _require_independent(self, reviewer: str, action: str) -> None:
        earlier = ["registered"] if reviewer == self.registered_by else []
        if reviewer in self.submitted_by:
            earlier.append("submitted")
        if earlier:
            raise SeparationOfDuties(reviewer, action, "model version", earlier)

    def reject(self, *, reviewer: str, reason: str) -> None:
        """under_review -> draft, with the reviewer's reason."""
        self._require_status("reject", "under_review")
        _require_reason(reviewer, reason)
        self.trigger_event(
            self.Rejected, model_version_id=str(self.id), reviewer=reviewer, reason=reason
        )

    def deprecate(self, *, actor: str, reason: str) -> None:
        """approved -> deprecated, when superseded or a policy violation is found."""
        self._require_status("deprecate", "approved")
        _require_reason(actor, reason)
        self.trigger_event(
            self.Deprecated, model_version_id=str(self.id), deprecated_by=actor, reason=reason
        )

    def record_evaluation(self, run: EvaluationSummary) -> None:
        """Learn an evaluation run of this version; a run already known is ignored."""
        if run.model_version_id != str(self.id):
            raise ValidationFailed({"model_entry_id": "the run evaluated another model version"})
        if self.evaluations.get(run.run_id) == run:
            return
        self.trigger_event(
            self.EvaluationRecorded,
            model_version_id=str(self.id),
            run_id=run.run_id,
            evaluation_type=run.type,
            status=run.status,
            metrics=dict(run.metrics),
            completed_at=run.completed_at,
        )
