"""The catalog's command handlers, built around its read model of other services' events."""

from catalog_service.application.model_aliases import register_model_alias_handlers
from catalog_service.application.model_versions import register_model_version_handlers
from catalog_service.application.read_models import CatalogReadModel
from llmops_runtime.commands import CommandRegistry


def build_registry(reads: CatalogReadModel) -> CommandRegistry:
    """Every catalog command, wired to the given read model."""
    # Evaluations arrive from the evaluation service: a refusal for missing ones may be lag,
    # so a retry with the same command id is decided again.
    registry = CommandRegistry(retryable_codes={"missing_evaluations"})
    register_model_version_handlers(registry, reads)
    register_model_alias_handlers(registry)
    return registry


__all__ = ["CatalogReadModel", "build_registry"]
