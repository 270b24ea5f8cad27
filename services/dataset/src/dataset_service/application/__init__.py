"""The dataset service's command handlers."""

from dataset_service.application.dataset_versions import register_dataset_handlers
from llmops_runtime.commands import CommandRegistry


def build_registry() -> CommandRegistry:
    """Every dataset command."""
    registry = CommandRegistry()
    register_dataset_handlers(registry)
    return registry


__all__ = ["build_registry"]
