"""Commands accepted by the prompt service."""

from uuid import UUID

from pydantic import AwareDatetime, Field

from llmops_events.base import CommandContract, Name, Names, Text
from llmops_events.prompt import ExperimentMetric, Variant


class RegisterPromptTemplate(CommandContract):
    """Register a prompt template version as a draft."""

    WIRE_NAME = "prompt.register_template"
    name: Name
    version: Name
    language: Name = Field(description="BCP 47 language tag, e.g. en or pt-BR.")
    content: Text
    context_tags: Names = Field(default_factory=list)


class RevisePromptTemplate(CommandContract):
    """Replace the content (and optionally the tags) of a draft template version."""

    WIRE_NAME = "prompt.revise_template"
    prompt_template_id: UUID
    content: Text
    context_tags: Names | None = None


class MakePromptTemplateLive(CommandContract):
    """Make a draft template version live if it passes the prohibited-token filter."""

    WIRE_NAME = "prompt.make_template_live"
    prompt_template_id: UUID


class RetirePromptTemplate(CommandContract):
    """Retire a draft or live template version."""

    WIRE_NAME = "prompt.retire_template"
    prompt_template_id: UUID
    reason: Text


class SetPromptLabel(CommandContract):
    """Point a label of a prompt name at a live version, creating or moving it."""

    WIRE_NAME = "prompt.set_label"
    name: Name
    label: Name
    prompt_template_id: UUID


class RemovePromptLabel(CommandContract):
    """Remove a label of a prompt name."""

    WIRE_NAME = "prompt.remove_label"
    name: Name
    label: Name


class StartPromptExperiment(CommandContract):
    """Start an A/B experiment between two live templates with a stop condition."""

    WIRE_NAME = "prompt.start_experiment"
    name: Name
    template_a_id: UUID
    template_b_id: UUID
    allocation: dict[Variant, int] = Field(description='Percent split, e.g. {"a": 50, "b": 50}.')
    metric: ExperimentMetric
    start_at: AwareDatetime | None = Field(default=None, description="Defaults to now.")
    end_at: AwareDatetime | None = None
    min_traffic_per_variant: int | None = None


class RecordExperimentObservations(CommandContract):
    """Record observed metric values of one variant of an experiment."""

    WIRE_NAME = "prompt.record_experiment_observations"
    prompt_experiment_id: UUID
    variant: Variant
    values: list[float]


class ConcludePromptExperiment(CommandContract):
    """Conclude an experiment whose stop condition holds."""

    WIRE_NAME = "prompt.conclude_experiment"
    prompt_experiment_id: UUID


COMMANDS: tuple[type[CommandContract], ...] = (
    RegisterPromptTemplate,
    RevisePromptTemplate,
    MakePromptTemplateLive,
    RetirePromptTemplate,
    SetPromptLabel,
    RemovePromptLabel,
    StartPromptExperiment,
    RecordExperimentObservations,
    ConcludePromptExperiment,
)
