"""The evaluation service's command handlers: load, call the run, return it to be saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from evaluation_service.domain import BenchmarkSnapshot, EvaluationRun
from llmops_events import evaluation as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext

Clock = Callable[[], datetime]
# Refusals that may only mean the dataset service's events have not reached us yet: a retry
# must be decided again, so they are never stored as the command's final answer.
RETRYABLE = {"unknown_dataset_version", "dataset_not_approved"}


class Benchmarks(Protocol):
    """What the handlers read: the dataset versions learned from the dataset service."""

    async def benchmark(self, dataset_version_id: UUID) -> BenchmarkSnapshot | None: ...


def build_registry(reads: Benchmarks, now: Clock) -> CommandRegistry:
    """Every evaluation command's handler, over the read model and a clock."""
    registry = CommandRegistry(retryable_codes=RETRYABLE)

    @registry.handles(contracts.StartEvaluationRun)
    async def start_run(
        p: contracts.StartEvaluationRun, ctx: HandlerContext
    ) -> list[EvaluationRun]:
        """Queue a run on an approved dataset snapshot."""
        benchmark = await reads.benchmark(p.dataset_version_id)
        return [EvaluationRun.queue(**p.model_dump(), benchmark=benchmark, actor=ctx.actor)]

    @registry.handles(contracts.CancelEvaluationRun)
    async def cancel_run(
        p: contracts.CancelEvaluationRun, ctx: HandlerContext
    ) -> list[EvaluationRun]:
        """Cancel a queued or running run."""
        run = await ctx.require(p.run_id, EvaluationRun)
        run.cancel(by=ctx.actor, reason=p.reason)
        return [run]

    @registry.handles(contracts.SubmitHumanScores)
    async def submit_human_scores(
        p: contracts.SubmitHumanScores, ctx: HandlerContext
    ) -> list[EvaluationRun]:
        """A reviewer's scores of items of a human run."""
        run = await ctx.require(p.run_id, EvaluationRun)
        run.submit_human_scores(reviewer=ctx.actor, scores=p.scores, at=now())
        return [run]

    @registry.handles(contracts.SubmitJudgeResults)
    async def submit_judge_results(
        p: contracts.SubmitJudgeResults, ctx: HandlerContext
    ) -> list[EvaluationRun]:
        """A judge model's scores of items of an llm_judge run."""
        run = await ctx.require(p.run_id, EvaluationRun)
        run.submit_judge_results(
            judge_model=p.judge_model, judge_prompt_sha256=p.judge_prompt_sha256,
            scores=p.scores, by=ctx.actor, at=now(),
        )  # fmt: skip
        return [run]

    @registry.handles(contracts.CompleteEvaluationRun)
    async def complete_run(
        p: contracts.CompleteEvaluationRun, ctx: HandlerContext
    ) -> list[EvaluationRun]:
        """Complete a human or judge run from its scores."""
        run = await ctx.require(p.run_id, EvaluationRun)
        run.complete(at=now(), notes=p.notes)
        return [run]

    return registry
