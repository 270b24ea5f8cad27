"""The governance service's command handlers, the bootstrap admins and the review clock."""

from governance_service.application.clock import Clock, utc_now
from governance_service.application.policies import register_policy_handlers
from governance_service.application.role_bindings import register_role_handlers
from llmops_runtime.commands import CommandRegistry


def build_registry(now: Clock = utc_now) -> CommandRegistry:
    """Every governance command; `now` stamps lifecycle moves and reviews."""
    registry = CommandRegistry()
    register_role_handlers(registry)
    register_policy_handlers(registry, now)
    return registry


__all__ = ["Clock", "build_registry", "utc_now"]
