"""The dataset service's command handlers."""

from dataset_service.application.dataset_versions import HANDLERS
from llmops_runtime.commands import CommandRegistry


def build_registry() -> CommandRegistry:
    """Every dataset command."""
    registry = CommandRegistry()
    registry.include(*HANDLERS)
    return registry


__all__ = ["build_registry"]
