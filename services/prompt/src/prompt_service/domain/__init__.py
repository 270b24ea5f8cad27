"""The prompt service's pure domain: templates, labels and A/B experiments."""

from prompt_service.domain.errors import ProhibitedTokens, StopConditionNotMet, TargetNotLive
from prompt_service.domain.prohibited_tokens import find_prohibited_tokens
from prompt_service.domain.prompt_experiment import PromptExperiment
from prompt_service.domain.prompt_label import LabelTarget, PromptLabel
from prompt_service.domain.prompt_template import PromptTemplate

AGGREGATES = (PromptTemplate, PromptLabel, PromptExperiment)

__all__ = [
    "AGGREGATES",
    "LabelTarget",
    "ProhibitedTokens",
    "PromptExperiment",
    "PromptLabel",
    "PromptTemplate",
    "StopConditionNotMet",
    "TargetNotLive",
    "find_prohibited_tokens",
]
