"""Contracts of the governance service: role bindings, governance policies, violations.

Every service consumes the role-binding events (its Authorizer decides from its own
projection of them) and the policy events of the scopes it enforces.
"""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, JsonValue

from llmops_events.base import CommandContract, EventContract, Name, Names, Text

SubjectKind = Literal["actor", "team"]
PolicyScope = Literal["model", "dataset", "user"]
ReviewDecision = Literal["approved", "changes_requested"]
# The kinds of resource a policy violation can be recorded against.
ViolationResourceType = Literal["model_version", "dataset_version", "prompt_template"]
Rules = list[dict[str, JsonValue]]


# --- events -------------------------------------------------------------------------------


class RoleBindingGranted(EventContract):
    """A role was given to an actor or a team (again, after a revoke, with the same id)."""

    WIRE_NAME = "governance.role_binding.granted"
    role_binding_id: UUID
    subject_kind: SubjectKind
    subject: Name
    role: Name
    # The actions the role grants (`*` for every action), resolved by governance so that
    # enforcing services need no copy of the role table.
    actions: Names
    resource_type: Name | None
    owner_team: Name | None
    granted_by: Name
    reason: Text


class RoleBindingRegranted(RoleBindingGranted):
    """Internal: a revoked binding was given back; published as `governance.role_binding.granted`.

    The stored event has the full shape of a grant, so the relay translates it field for field.
    """

    WIRE_NAME = "governance.role_binding.regranted"


class RoleBindingRevoked(EventContract):
    """A role binding was withdrawn."""

    WIRE_NAME = "governance.role_binding.revoked"
    role_binding_id: UUID
    revoked_by: Name
    reason: Text


class PolicyDrafted(EventContract):
    """A governance policy was drafted with typed rules."""

    WIRE_NAME = "governance.policy.drafted"
    policy_id: UUID
    name: Name
    scope: PolicyScope
    rules: Rules = Field(max_length=50)
    drafted_by: Name


class PolicyRulesRevised(EventContract):
    """The rules of a draft or suspended policy were replaced."""

    WIRE_NAME = "governance.policy.rules_revised"
    policy_id: UUID
    rules: Rules = Field(max_length=50)
    revised_by: Name
    reason: Text


class PolicyActivated(EventContract):
    """A policy was put in force."""

    WIRE_NAME = "governance.policy.activated"
    policy_id: UUID
    changed_by: Name
    reason: Text
    at: AwareDatetime


class PolicySuspended(EventContract):
    """A policy was taken out of force for now."""

    WIRE_NAME = "governance.policy.suspended"
    policy_id: UUID
    changed_by: Name
    reason: Text
    at: AwareDatetime


class PolicyRetired(EventContract):
    """A policy was ended for good."""

    WIRE_NAME = "governance.policy.retired"
    policy_id: UUID
    changed_by: Name
    reason: Text
    at: AwareDatetime


class PolicyReviewed(EventContract):
    """A reviewer reassessed a policy; this restarts its review clock and lifts overdue."""

    WIRE_NAME = "governance.policy.reviewed"
    policy_id: UUID
    reviewer: Name
    decision: ReviewDecision
    notes: Text
    at: AwareDatetime


class PolicyReviewOverdue(EventContract):
    """An active policy was not reviewed in its period: the actions it governs are refused."""

    WIRE_NAME = "governance.policy.review_overdue"
    policy_id: UUID
    due_at: AwareDatetime
    detected_at: AwareDatetime


class PolicyViolationRecorded(EventContract):
    """A violation of an active policy was recorded against a resource."""

    WIRE_NAME = "governance.policy.violation_recorded"
    policy_id: UUID
    violation_id: UUID
    resource_type: ViolationResourceType
    resource_id: UUID
    details: Text
    recorded_by: Name


class ProhibitedTokensPublished(EventContract):
    """A policy's complete list of prohibited prompt tokens; it replaces the previous list."""

    WIRE_NAME = "governance.prohibited_tokens.published"
    policy_id: UUID
    policy_name: Name
    # The full list each time, so a consumer learns removals too; empty withdraws the policy.
    tokens: Names
    published_by: Name


# --- commands -----------------------------------------------------------------------------


class GrantRole(CommandContract):
    """Give a role to an actor or a team, optionally only for a resource type or owner team."""

    WIRE_NAME = "governance.grant_role"
    subject_kind: SubjectKind
    subject: Name
    role: Name
    resource_type: Name | None = None
    owner_team: Name | None = None
    reason: Text


class RevokeRole(CommandContract):
    """Withdraw a role binding."""

    WIRE_NAME = "governance.revoke_role"
    role_binding_id: UUID
    reason: Text


class DraftPolicy(CommandContract):
    """Draft a governance policy (names are unique)."""

    WIRE_NAME = "governance.draft_policy"
    name: Name
    scope: PolicyScope
    rules: Rules = Field(max_length=50)


class RevisePolicyRules(CommandContract):
    """Replace the rules of a draft or suspended policy."""

    WIRE_NAME = "governance.revise_policy_rules"
    policy_id: UUID
    rules: Rules = Field(max_length=50)
    reason: Text


class ActivatePolicy(CommandContract):
    """Put a draft or suspended policy in force."""

    WIRE_NAME = "governance.activate_policy"
    policy_id: UUID
    reason: Text


class SuspendPolicy(CommandContract):
    """Take an active policy out of force."""

    WIRE_NAME = "governance.suspend_policy"
    policy_id: UUID
    reason: Text


class RetirePolicy(CommandContract):
    """End a policy for good."""

    WIRE_NAME = "governance.retire_policy"
    policy_id: UUID
    reason: Text


class ReviewPolicy(CommandContract):
    """Record a review of a policy: reviewer (the actor), decision and notes."""

    WIRE_NAME = "governance.review_policy"
    policy_id: UUID
    decision: ReviewDecision
    notes: Text


class RecordPolicyViolation(CommandContract):
    """Record that a resource violates an active policy."""

    WIRE_NAME = "governance.record_policy_violation"
    policy_id: UUID
    resource_type: ViolationResourceType
    resource_id: UUID
    details: Text


EVENTS: tuple[type[EventContract], ...] = (
    RoleBindingGranted,
    RoleBindingRegranted,
    RoleBindingRevoked,
    PolicyDrafted,
    PolicyRulesRevised,
    PolicyActivated,
    PolicySuspended,
    PolicyRetired,
    PolicyReviewed,
    PolicyReviewOverdue,
    PolicyViolationRecorded,
    ProhibitedTokensPublished,
)
# Stored, never published as such: the relay sends a re-grant as RoleBindingGranted.
INTERNAL: tuple[type[EventContract], ...] = (RoleBindingRegranted,)
PUBLISHED: tuple[type[EventContract], ...] = tuple(e for e in EVENTS if e not in INTERNAL)
COMMANDS: tuple[type[CommandContract], ...] = (
    GrantRole,
    RevokeRole,
    DraftPolicy,
    RevisePolicyRules,
    ActivatePolicy,
    SuspendPolicy,
    RetirePolicy,
    ReviewPolicy,
    RecordPolicyViolation,
)
