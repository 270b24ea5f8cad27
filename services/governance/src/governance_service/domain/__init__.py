"""The governance service's pure domain: role bindings, policies and retry overrides."""

from governance_service.domain.errors import PolicyReviewOverdue
from governance_service.domain.governance_policy import REVIEW_PERIOD, GovernancePolicy
from governance_service.domain.policy_rules import RULE_KINDS, parse_rules
from governance_service.domain.retry_override import RetryOverride, already_approved
from governance_service.domain.role_binding import RoleBinding
from governance_service.domain.roles import ROLES, grants

AGGREGATES = (RoleBinding, GovernancePolicy, RetryOverride)

__all__ = [
    "AGGREGATES",
    "REVIEW_PERIOD",
    "ROLES",
    "RULE_KINDS",
    "GovernancePolicy",
    "PolicyReviewOverdue",
    "RetryOverride",
    "RoleBinding",
    "already_approved",
    "grants",
    "parse_rules",
]
