"""The evaluation handlers, through the command registry, without Kafka or PostgreSQL."""

from __future__ import annotations

from uuid import UUID

import pytest
from pydantic import ValidationError

from evaluation_service.application import build_registry
from evaluation_service.domain import BenchmarkSnapshot, EvaluationRun
from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext

from .conftest import APPROVED, AT, DATASET_ID

MODEL = "00000000-0000-4000-8000-0000000000a1"


class Benchmarks:
    """Dataset versions as the projection would know them."""

    def __init__(self, *known: BenchmarkSnapshot) -> None:
        self.known = {UUID(b.dataset_version_id): b for b in known}

    async def benchmark(self, dataset_version_id: UUID) -> BenchmarkSnapshot | None:
        return self.known.get(dataset_version_id)


def context(*known: BenchmarkSnapshot) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(Benchmarks(*known), lambda: AT), actor="rita")


def start(type_: str = "human", **more: object) -> dict[str, object]:
    return {"model_version_id": MODEL, "dataset_version_id": str(DATASET_ID), "type": type_} | more


async def test_a_human_run_is_queued_scored_and_completed() -> None:
    ctx = context(APPROVED)
    [run] = await ctx.run("evaluation.start_run", start())
    assert isinstance(run, EvaluationRun) and run.run_by == "rita"
    scores = [{"item_id": "q1", "score": 0.75, "comment": "mostly right"}]
    await ctx.run("evaluation.submit_human_scores", {"run_id": str(run.id), "scores": scores})
    [done] = await ctx.run("evaluation.complete_run", {"run_id": str(run.id)})
    assert isinstance(done, EvaluationRun)
    assert (done.status, done.metrics["mean_score"]) == ("completed", 0.75)


@pytest.mark.parametrize(
    ("known", "code"),
    [
        ((), "unknown_dataset_version"),
        ((APPROVED.__class__(str(DATASET_ID), "file:///d", False),), "dataset_not_approved"),
    ],
)
async def test_a_run_on_an_unknown_or_unapproved_dataset_is_refused(
    known: tuple[BenchmarkSnapshot, ...], code: str
) -> None:
    with pytest.raises(CommandRejected) as refused:
        await context(*known).run("evaluation.start_run", start())
    assert refused.value.code == code


async def test_unknown_fields_and_oversized_submissions_are_refused_by_the_contract() -> None:
    ctx = context(APPROVED)
    [run] = await ctx.run("evaluation.start_run", start())
    too_many = [{"item_id": f"i{n}", "score": 1.0} for n in range(101)]
    with pytest.raises(ValidationError, match="at most 100 items"):
        await ctx.run("evaluation.submit_human_scores", {"run_id": str(run.id), "scores": too_many})
    bad = [{"item_id": "q1", "score": 4.5}]
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        await ctx.run("evaluation.submit_human_scores", {"run_id": str(run.id), "scores": bad})


async def test_judge_results_need_a_sha256_of_the_judge_prompt() -> None:
    ctx = context(APPROVED)
    [run] = await ctx.run("evaluation.start_run", start("llm_judge"))
    payload = {"run_id": str(run.id), "judge_model": "j", "scores": [{"item_id": "q", "score": 1}]}
    with pytest.raises(ValidationError, match="should match pattern"):
        await ctx.run("evaluation.submit_judge_results", payload | {"judge_prompt_sha256": "x"})
    await ctx.run("evaluation.submit_judge_results", payload | {"judge_prompt_sha256": "c" * 64})


async def test_cancelling_an_unknown_run_is_not_found() -> None:
    with pytest.raises(CommandRejected) as refused:
        await context().run(
            "evaluation.cancel_run",
            {"run_id": "00000000-0000-4000-8000-000000000099", "reason": "x"},
        )
    assert refused.value.code == "not_found"
