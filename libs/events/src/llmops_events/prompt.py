"""Contracts of the prompt service: templates, labels and A/B experiments."""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from llmops_events.base import EventContract, Name, Names, Text

Variant = Literal["a", "b"]
ExperimentMetric = Literal["latency", "CSAT", "ROUGE", "custom"]


# --- template and label events ------------------------------------------------------------


class PromptTemplateRegistered(EventContract):
    """A prompt template version was registered as a draft."""

    WIRE_NAME = "prompt.template.registered"
    prompt_template_id: UUID
    name: Name
    version: Name
    language: Name
    content: Text
    context_tags: Names
    registered_by: Name


class PromptTemplateRevised(EventContract):
    """The content or tags of a draft template version were replaced."""

    WIRE_NAME = "prompt.template.revised"
    prompt_template_id: UUID
    content: Text
    context_tags: Names
    revised_by: Name


class PromptTemplateWentLive(EventContract):
    """A template version passed the prohibited-token filter and went live."""

    WIRE_NAME = "prompt.template.went_live"
    prompt_template_id: UUID
    name: Name
    version: Name
    checked_token_count: int
    published_by: Name


class PromptTemplateRetired(EventContract):
    """A template version was retired."""

    WIRE_NAME = "prompt.template.retired"
    prompt_template_id: UUID
    retired_by: Name
    reason: Text


class PromptLabelAssigned(EventContract):
    """A label of a prompt name was created, pointing at a live version."""

    WIRE_NAME = "prompt.label.assigned"
    prompt_label_id: UUID
    name: Name
    label: Name
    prompt_template_id: UUID
    assigned_by: Name


class PromptLabelMoved(EventContract):
    """A label moved atomically to another live version (or back after removal)."""

    WIRE_NAME = "prompt.label.moved"
    prompt_label_id: UUID
    name: Name
    label: Name
    previous_prompt_template_id: UUID | None
    prompt_template_id: UUID
    moved_by: Name


class PromptLabelRemoved(EventContract):
    """A label stopped pointing at any version."""

    WIRE_NAME = "prompt.label.removed"
    prompt_label_id: UUID
    name: Name
    label: Name
    previous_prompt_template_id: UUID
    removed_by: Name


# --- experiment events --------------------------------------------------------------------


class VariantStatistics(BaseModel):
    """Count, mean and sample variance of one variant's observations."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    count: int
    mean: float
    variance: float | None


class PromptExperimentStarted(EventContract):
    """An A/B experiment between two live templates started."""

    WIRE_NAME = "prompt.experiment.started"
    prompt_experiment_id: UUID
    name: Name
    template_a_id: UUID
    template_b_id: UUID
    allocation: dict[Variant, int]
    metric: ExperimentMetric
    start_at: AwareDatetime
    end_at: AwareDatetime | None
    min_traffic_per_variant: int | None
    statistical_test: Literal["welch_t_test"]
    alpha: float
    started_by: Name


class PromptExperimentObservationsRecorded(EventContract):
    """A batch of observations of one variant, as count, mean and sum of squared deviations."""

    WIRE_NAME = "prompt.experiment.observations_recorded"
    prompt_experiment_id: UUID
    variant: Variant
    count: int
    mean: float
    m2: float = Field(description="Sum of squared deviations from the batch mean.")


class PromptExperimentConcluded(EventContract):
    """An experiment concluded with a winner or with no significant difference."""

    WIRE_NAME = "prompt.experiment.concluded"
    prompt_experiment_id: UUID
    outcome: Literal["winner", "no_significant_difference"]
    winner_variant: Variant | None
    winner_template_id: UUID | None
    stop_condition: Literal["end_at", "min_traffic"]
    statistical_test: Literal["welch_t_test"]
    alpha: float
    t_statistic: float | None
    degrees_of_freedom: float | None
    p_value: float | None
    variants: dict[Variant, VariantStatistics]
    concluded_by: Name


EVENTS: tuple[type[EventContract], ...] = (
    PromptTemplateRegistered,
    PromptTemplateRevised,
    PromptTemplateWentLive,
    PromptTemplateRetired,
    PromptLabelAssigned,
    PromptLabelMoved,
    PromptLabelRemoved,
    PromptExperimentStarted,
    PromptExperimentObservationsRecorded,
    PromptExperimentConcluded,
)
# What other services may consume from `llmops.prompt.events`: every prompt event.
PUBLISHED: tuple[type[EventContract], ...] = EVENTS
