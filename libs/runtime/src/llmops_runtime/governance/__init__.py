"""What an enforcing service keeps of governance: policies in force (role bindings: auth/)."""

from llmops_runtime.governance.policies import (
    POLICY_EVENTS,
    GovernancePolicies,
    PolicyInForce,
    policies_projection,
)

__all__ = ["POLICY_EVENTS", "GovernancePolicies", "PolicyInForce", "policies_projection"]
