"""The dataset service's command handlers."""

from dataset_service.application.dataset_versions import register_dataset_handlers
from dataset_service.application.read_models import DatasetReadModel
from llmops_runtime.commands import CommandRegistry


def build_registry(reads: DatasetReadModel) -> CommandRegistry:
    """Every dataset command, wired to the given read model."""
    registry = CommandRegistry()
    register_dataset_handlers(registry, reads)
    return registry


__all__ = ["DatasetReadModel", "build_registry"]
