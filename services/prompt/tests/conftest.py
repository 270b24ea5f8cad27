"""Builders shared by the prompt service's domain tests."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from llmops_testing.builders import builder
from prompt_service.domain import PromptExperiment, PromptTemplate

START = datetime(2025, 11, 27, 9, 0, tzinfo=UTC)


_template = builder(
    PromptTemplate.register,
    name="support-reply",
    version="1",
    language="en",
    content="You are a helpful support agent. Answer: {{question}}",
    context_tags=["support", "email"],
    actor="paula",
)
_experiment = builder(
    PromptExperiment.start,
    name="reply-tone",
    template_a_id="11111111-1111-4111-8111-111111111111",
    template_b_id="22222222-2222-4222-8222-222222222222",
    template_a_status="live",
    template_b_status="live",
    allocation={"a": 50, "b": 50},
    metric="CSAT",
    start_at=START,
    end_at=START + timedelta(days=7),
    min_traffic_per_variant=None,
    actor="paula",
)


@pytest.fixture
def make_template() -> Callable[..., PromptTemplate]:
    """Register a template version with some arguments overridden."""
    return _template


@pytest.fixture
def draft() -> PromptTemplate:
    """A draft template version."""
    return _template()


@pytest.fixture
def live(draft: PromptTemplate) -> PromptTemplate:
    """A live template version."""
    draft.go_live(actor="paula", prohibited_tokens=["password"])
    return draft


@pytest.fixture
def make_experiment() -> Callable[..., PromptExperiment]:
    """Start an experiment with some arguments overridden."""
    return _experiment
