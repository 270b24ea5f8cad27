"""The dataset service's command handlers."""

from dataset_service.application.dataset_versions import (
    HANDLERS,
    DatasetReadModel,
    approval_handler,
)
from llmops_runtime.commands import CommandRegistry


def build_registry(reads: DatasetReadModel) -> CommandRegistry:
    """Every dataset command; approval reads the projected governance policies."""
    registry = CommandRegistry()
    registry.include(*HANDLERS, approval_handler(reads))
    return registry


__all__ = ["DatasetReadModel", "build_registry"]
