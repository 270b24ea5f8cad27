"""The prompt service's command handlers."""

from collections.abc import Sequence

from llmops_runtime.commands import CommandRegistry
from prompt_service.application.experiments import register_experiment_handlers
from prompt_service.application.labels import register_label_handlers
from prompt_service.application.read_models import PromptReadModel
from prompt_service.application.templates import register_template_handlers


def build_registry(reads: PromptReadModel, default_tokens: Sequence[str]) -> CommandRegistry:
    """Every prompt command, wired to the read model and the configured default tokens."""
    registry = CommandRegistry()
    register_template_handlers(registry, reads, default_tokens)
    register_label_handlers(registry)
    register_experiment_handlers(registry)
    return registry


__all__ = ["PromptReadModel", "build_registry"]
