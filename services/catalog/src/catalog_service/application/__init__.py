"""The catalog's command handlers, built around its read model of other services' events."""

from catalog_service.application.model_aliases import register_model_alias_handlers
from catalog_service.application.model_versions import register_model_version_handlers
from catalog_service.application.read_models import CatalogReadModel
from llmops_runtime.commands import CommandRegistry


def build_registry(reads: CatalogReadModel) -> CommandRegistry:
    """Every catalog command, wired to the given read model."""
    registry = CommandRegistry()
    register_model_version_handlers(registry, reads)
    register_model_alias_handlers(registry)
    return registry


__all__ = ["CatalogReadModel", "build_registry"]
