"""GovernancePolicy: typed rules over models, datasets or users, reviewed at least every 90 days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar, Literal, get_args
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from governance_service.domain.policy_rules import (
    ProhibitedTokens,
    Rule,
    parse_rules,
    rules_as_json,
)
from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import governance as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:governance:policy")
VIOLATION_NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:governance:policy_violation")
REVIEW_PERIOD = timedelta(days=90)
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 4000

Scope = Literal["model", "dataset", "user"]
SCOPES: tuple[str, ...] = get_args(Scope)
Status = Literal["draft", "active", "suspended", "retired"]
Decision = Literal["approved", "changes_requested"]
DECISIONS: tuple[str, ...] = get_args(Decision)
ResourceType = Literal["model_version", "dataset_version", "prompt_template"]
RESOURCE_TYPES: tuple[str, ...] = get_args(ResourceType)


def _require(actor: str, reason: str, *, field: str = "reason") -> None:
    problems: dict[str, str] = {}
    if not actor.strip():
        problems["actor"] = "required"
    if not reason.strip() or len(reason) > MAX_NOTES_CHARS:
        problems[field] = f"required, at most {MAX_NOTES_CHARS} characters"
    if problems:
        raise ValidationFailed(problems)


def _aware(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValidationFailed({"at": "a time with a time zone"})
    return at.isoformat()


class GovernancePolicy(Aggregate):
    """draft -> active -> suspended / retired; reviews keep it in force."""

    class Drafted(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.PolicyDrafted.WIRE_NAME
        policy_id: str
        name: str
        scope: str
        rules: list[dict[str, Any]]
        drafted_by: str

    class RulesRevised(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PolicyRulesRevised.WIRE_NAME
        policy_id: str
        rules: list[dict[str, Any]]
        revised_by: str
        reason: str

        def apply(self, aggregate: GovernancePolicy) -> None:
            aggregate.rules = self.rules

    class StatusChanged(Aggregate.Event):
        """Base of the lifecycle moves; subclasses name the target status."""

        to_status: ClassVar[str]
        policy_id: str
        changed_by: str
        reason: str
        at: str

        def apply(self, aggregate: GovernancePolicy) -> None:
            aggregate.status = self.to_status

    class Activated(StatusChanged):
        wire_name: ClassVar[str] = contracts.PolicyActivated.WIRE_NAME
        to_status: ClassVar[str] = "active"

        def apply(self, aggregate: GovernancePolicy) -> None:
            aggregate.status = self.to_status
            if aggregate.in_force_since is None:
                aggregate.in_force_since = datetime.fromisoformat(self.at)

    class Suspended(StatusChanged):
        wire_name: ClassVar[str] = contracts.PolicySuspended.WIRE_NAME
        to_status: ClassVar[str] = "suspended"

    class Retired(StatusChanged):
        wire_name: ClassVar[str] = contracts.PolicyRetired.WIRE_NAME
        to_status: ClassVar[str] = "retired"

    class Reviewed(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PolicyReviewed.WIRE_NAME
        policy_id: str
        reviewer: str
        decision: str
        notes: str
        at: str

        def apply(self, aggregate: GovernancePolicy) -> None:
            aggregate.last_reviewed_at = datetime.fromisoformat(self.at)
            aggregate.review_overdue = False
            aggregate.reviews.append((self.reviewer, self.decision, self.notes, self.at))

    class ReviewOverdue(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PolicyReviewOverdue.WIRE_NAME
        policy_id: str
        due_at: str
        detected_at: str

        def apply(self, aggregate: GovernancePolicy) -> None:
            aggregate.review_overdue = True

    class ViolationRecorded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PolicyViolationRecorded.WIRE_NAME
        policy_id: str
        violation_id: str
        resource_type: str
        resource_id: str
        details: str
        recorded_by: str

        def apply(self, aggregate: GovernancePolicy) -> None:
            aggregate.violation_ids.append(self.violation_id)

    class ProhibitedTokensPublished(Aggregate.Event):
        """The policy's full token list for prompt services; empty when it leaves force."""

        wire_name: ClassVar[str] = contracts.ProhibitedTokensPublished.WIRE_NAME
        policy_id: str
        policy_name: str
        tokens: list[str]
        published_by: str

        def apply(self, aggregate: GovernancePolicy) -> None:
            aggregate.published_tokens = list(self.tokens)

    @staticmethod
    def create_id(name: str) -> UUID:
        """Policy names are unique: a second draft of a name is a concurrency conflict."""
        return uuid5(NAMESPACE, name)

    def __init__(
        self, name: str, scope: str, rules: list[dict[str, Any]], drafted_by: str, policy_id: str
    ) -> None:
        self.name = name
        self.scope = scope
        self.rules = rules
        self.drafted_by = drafted_by
        self.status: str = "draft"
        self.in_force_since: datetime | None = None
        self.last_reviewed_at: datetime | None = None
        self.review_overdue = False
        self.reviews: list[tuple[str, str, str, str]] = []
        self.violation_ids: list[str] = []
        self.published_tokens: list[str] = []

    @classmethod
    def draft(cls, *, name: str, scope: str, rules: Sequence[Any], actor: str) -> GovernancePolicy:
        """A new draft policy with validated rules."""
        problems: dict[str, str] = {}
        if not name.strip() or len(name) > MAX_NAME_CHARS:
            problems["name"] = f"required, at most {MAX_NAME_CHARS} characters"
        if scope not in SCOPES:
            problems["scope"] = f"one of {', '.join(SCOPES)}"
        if not actor.strip():
            problems["actor"] = "required"
        if problems:
            raise ValidationFailed(problems)
        typed = parse_rules(rules)
        policy_id = cls.create_id(name)
        return cls._create(
            cls.Drafted,
            id=policy_id,
            policy_id=str(policy_id),
            name=name,
            scope=scope,
            rules=rules_as_json(typed),
            drafted_by=actor,
        )

    @property
    def typed_rules(self) -> list[Rule]:
        """The stored rules as typed rule objects."""
        return parse_rules(self.rules)

    def revise_rules(self, rules: Sequence[Any], *, actor: str, reason: str) -> None:
        """Replace the rules of a draft or suspended policy (an active one is suspended first)."""
        _require(actor, reason)
        self._allowed("revise", ("draft", "suspended"))
        self.trigger_event(
            self.RulesRevised,
            policy_id=str(self.id),
            rules=rules_as_json(parse_rules(rules)),
            revised_by=actor,
            reason=reason,
        )

    def activate(self, *, actor: str, reason: str, at: datetime) -> None:
        """Put a draft or suspended policy in force."""
        _require(actor, reason)
        self._allowed("activate", ("draft", "suspended"))
        self._change(self.Activated, actor=actor, reason=reason, at=at)

    def suspend(self, *, actor: str, reason: str, at: datetime) -> None:
        """Take an active policy out of force for now."""
        _require(actor, reason)
        self._allowed("suspend", ("active",))
        self._change(self.Suspended, actor=actor, reason=reason, at=at)

    def retire(self, *, actor: str, reason: str, at: datetime) -> None:
        """End the policy for good."""
        _require(actor, reason)
        self._allowed("retire", ("draft", "active", "suspended"))
        self._change(self.Retired, actor=actor, reason=reason, at=at)

    def review(self, *, reviewer: str, decision: str, notes: str, at: datetime) -> None:
        """Record a review; it restarts the 90-day clock and lifts an overdue state."""
        _require(reviewer, notes, field="notes")
        if decision not in DECISIONS:
            raise ValidationFailed({"decision": f"one of {', '.join(DECISIONS)}"})
        self._allowed("review", ("draft", "active", "suspended"))
        self.trigger_event(
            self.Reviewed,
            policy_id=str(self.id),
            reviewer=reviewer,
            decision=decision,
            notes=notes,
            at=_aware(at),
        )

    def review_due_at(self, period: timedelta = REVIEW_PERIOD) -> datetime | None:
        """When the next review is due: period after the last review, or after going in force."""
        since = self.last_reviewed_at or self.in_force_since
        return since + period if since is not None else None

    def check_review_due(self, now: datetime, period: timedelta = REVIEW_PERIOD) -> bool:
        """Mark an active policy overdue once its review is due; True when this marked it."""
        due = self.review_due_at(period)
        if self.status != "active" or self.review_overdue or due is None or now < due:
            return False
        self.trigger_event(
            self.ReviewOverdue,
            policy_id=str(self.id),
            due_at=due.isoformat(),
            detected_at=_aware(now),
        )
        return True

    def record_violation(
        self,
        *,
        resource_type: str,
        resource_id: UUID,
        details: str,
        actor: str,
        key: str,
    ) -> UUID:
        """Record that a resource violates this active policy; the id derives from `key`."""
        _require(actor, details, field="details")
        if resource_type not in RESOURCE_TYPES:
            raise ValidationFailed({"resource_type": f"one of {', '.join(RESOURCE_TYPES)}"})
        self._allowed("record a violation of", ("active",))
        violation_id = self.violation_id_for(self.id, key)
        if str(violation_id) in self.violation_ids:
            return violation_id  # the same report again: recorded once
        self.trigger_event(
            self.ViolationRecorded,
            policy_id=str(self.id),
            violation_id=str(violation_id),
            resource_type=resource_type,
            resource_id=str(resource_id),
            details=details,
            recorded_by=actor,
        )
        return violation_id

    @staticmethod
    def violation_id_for(policy_id: UUID, key: str) -> UUID:
        """A violation's id: the same policy and key (e.g. the command id) give the same id."""
        return uuid5(VIOLATION_NAMESPACE, f"{policy_id}/{key}")

    @property
    def prohibited_tokens(self) -> list[str]:
        """The tokens of the policy's `prohibited_tokens` rule (empty without one)."""
        found = [r for r in self.typed_rules if isinstance(r, ProhibitedTokens)]
        return list(found[0].tokens) if found else []

    @property
    def blocks_governed_actions(self) -> bool:
        """True while an active policy is overdue: the services enforcing it refuse its actions."""
        return self.status == "active" and self.review_overdue

    def _change(self, event: type[StatusChanged], *, actor: str, reason: str, at: datetime) -> None:
        self.trigger_event(
            event, policy_id=str(self.id), changed_by=actor, reason=reason, at=_aware(at)
        )
        # Prompt services hold the tokens of policies in force only: the full list goes out on
        # each activation and an empty list (withdrawal) on each suspension or retirement.
        if self.prohibited_tokens:
            tokens = self.prohibited_tokens if self.status == "active" else []
            self.trigger_event(
                self.ProhibitedTokensPublished,
                policy_id=str(self.id),
                policy_name=self.name,
                tokens=tokens,
                published_by=actor,
            )

    def _allowed(self, action: str, allowed_from: tuple[str, ...]) -> None:
        if self.status not in allowed_from:
            raise InvalidTransition(action, self.status, allowed_from, subject="policy")
