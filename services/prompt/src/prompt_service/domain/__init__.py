"""The prompt service's pure domain: templates, labels and A/B experiments."""

from prompt_service.domain.errors import (
    DomainError,
    DuplicateVersion,
    InvalidTransition,
    NotFound,
    ProhibitedTokens,
    StopConditionNotMet,
    TargetNotLive,
    ValidationFailed,
)
from prompt_service.domain.prohibited_tokens import find_prohibited_tokens
from prompt_service.domain.prompt_experiment import PromptExperiment
from prompt_service.domain.prompt_label import LabelTarget, PromptLabel
from prompt_service.domain.prompt_template import PromptTemplate

AGGREGATES = (PromptTemplate, PromptLabel, PromptExperiment)

# Every concrete event class, for the event store's wire-name mapping.
EVENT_CLASSES: tuple[type, ...] = (
    PromptTemplate.Registered,
    PromptTemplate.Revised,
    PromptTemplate.WentLive,
    PromptTemplate.Retired,
    PromptLabel.Assigned,
    PromptLabel.Moved,
    PromptLabel.Removed,
    PromptExperiment.Started,
    PromptExperiment.ObservationsRecorded,
    PromptExperiment.Concluded,
)

__all__ = [
    "AGGREGATES",
    "EVENT_CLASSES",
    "DomainError",
    "DuplicateVersion",
    "InvalidTransition",
    "LabelTarget",
    "NotFound",
    "ProhibitedTokens",
    "PromptExperiment",
    "PromptLabel",
    "PromptTemplate",
    "StopConditionNotMet",
    "TargetNotLive",
    "ValidationFailed",
    "find_prohibited_tokens",
]
