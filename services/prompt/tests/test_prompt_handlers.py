"""The prompt handlers wired to their commands: token filter sources, labels, experiments."""

from __future__ import annotations

import pytest

from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext
from prompt_service.application import build_registry
from prompt_service.domain import PromptExperiment, PromptTemplate


class FakePromptReadModel:
    """Governance tokens set by the test."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    async def governance_tokens(self) -> list[str]:
        """The governance list."""
        return list(self.tokens)


@pytest.fixture
def reads() -> FakePromptReadModel:
    return FakePromptReadModel()


@pytest.fixture
def ctx(reads: FakePromptReadModel) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(reads, default_tokens=["password"]))


async def _template(ctx: InMemoryHandlerContext, version: str, content: str) -> PromptTemplate:
    payload = {"name": "greeting", "version": version, "language": "en", "content": content}
    [template] = await ctx.run("prompt.register_template", payload)
    assert isinstance(template, PromptTemplate)
    return template


async def _live(ctx: InMemoryHandlerContext, version: str) -> PromptTemplate:
    template = await _template(ctx, version, f"Hello {{name}}, version {version}")
    [live] = await ctx.run("prompt.make_template_live", {"prompt_template_id": str(template.id)})
    assert isinstance(live, PromptTemplate)
    return live


class TestGoLive:
    async def test_a_configured_default_token_refuses_going_live(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        template = await _template(ctx, "1", "Tell me your password")
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("prompt.make_template_live", {"prompt_template_id": str(template.id)})
        assert refused.value.code == "prohibited_tokens"
        assert "password" in refused.value.message

    async def test_a_governance_token_refuses_going_live(
        self, ctx: InMemoryHandlerContext, reads: FakePromptReadModel
    ) -> None:
        reads.tokens.append("ssn")
        template = await _template(ctx, "1", "Give me the SSN")
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("prompt.make_template_live", {"prompt_template_id": str(template.id)})
        assert "ssn" in refused.value.message

    async def test_a_duplicate_version_is_rejected_as_duplicate_version(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        await _template(ctx, "1", "Hi")
        with pytest.raises(CommandRejected) as refused:
            await _template(ctx, "1", "Hi again")
        assert refused.value.code == "duplicate_version"


class TestLabelsAndExperiments:
    async def test_a_label_cannot_point_at_a_draft(self, ctx: InMemoryHandlerContext) -> None:
        template = await _template(ctx, "1", "Hi")
        payload = {
            "name": "greeting",
            "label": "production",
            "prompt_template_id": str(template.id),
        }
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("prompt.set_label", payload)
        assert refused.value.code == "template_not_live"

    async def test_an_experiment_between_live_templates_concludes_with_a_winner(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        a, b = await _live(ctx, "1"), await _live(ctx, "2")
        start = {
            "name": "greeting-ab",
            "template_a_id": str(a.id),
            "template_b_id": str(b.id),
            "allocation": {"a": 50, "b": 50},
            "metric": "CSAT",
            "min_traffic_per_variant": 5,
        }
        [experiment] = await ctx.run("prompt.start_experiment", start)
        eid = str(experiment.id)
        for variant, values in {
            "a": [3.0, 3.1, 2.9, 3.0, 3.2],
            "b": [4.5, 4.6, 4.4, 4.5, 4.7],
        }.items():
            payload = {"prompt_experiment_id": eid, "variant": variant, "values": values}
            await ctx.run("prompt.record_experiment_observations", payload)
        [concluded] = await ctx.run("prompt.conclude_experiment", {"prompt_experiment_id": eid})
        assert isinstance(concluded, PromptExperiment)
        assert concluded.outcome == "winner" and concluded.winner_template_id == str(b.id)
