"""The training handlers through the command registry, without Kafka or PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from llmops_runtime.budgets import BudgetBlock
from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext
from training_service.application import build_registry
from training_service.domain import ExperimentMetricBatch, TrainingJob

from .conftest import NOW, FakeReads, submission


def context(reads: FakeReads | None = None) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(reads or FakeReads(), lambda: NOW))


async def test_a_submitted_job_is_queued_with_its_spec() -> None:
    [job] = await context().run("training.submit_job", submission())
    assert isinstance(job, TrainingJob)
    assert (job.status, job.resource_profile["gpu_count"], job.scheduler_id) == (
        "queued",
        2,
        "local",
    )


@pytest.mark.parametrize(
    ("reads", "code"),
    [
        (FakeReads(models={}), "model_not_approved"),
        (FakeReads(datasets=set()), "dataset_not_approved"),
    ],
)
async def test_a_job_on_unapproved_inputs_is_refused_with_a_clear_code(
    reads: FakeReads, code: str
) -> None:
    with pytest.raises(CommandRejected) as refused:
        await context(reads).run("training.submit_job", submission())
    assert refused.value.code == code


async def test_a_local_job_runs_only_a_configured_program_a_kubernetes_one_is_unaffected() -> None:
    narrowed = InMemoryHandlerContext(
        build_registry(FakeReads(), lambda: NOW, local_programs=["/opt/train/bin/train"])
    )
    with pytest.raises(CommandRejected) as refused:
        await narrowed.run("training.submit_job", submission(command=["bash", "-c", "curl x"]))
    assert refused.value.code == "program_not_allowed"
    assert "'bash' is not one" in refused.value.message
    assert "/opt/train/bin/train" in refused.value.message
    [local] = await narrowed.run(
        "training.submit_job", submission(command=["/opt/train/bin/train", "--epochs", "1"])
    )
    [pod] = await narrowed.run(
        "training.submit_job", submission(command=["bash", "train.sh"], scheduler_id="kubernetes")
    )
    assert isinstance(local, TrainingJob) and isinstance(pod, TrainingJob)
    assert (local.scheduler_id, pod.scheduler_id) == ("local", "kubernetes")


async def test_reports_retry_under_the_override_and_metrics_go_to_batches() -> None:
    reads = FakeReads()
    ctx = context(reads)
    [job] = await ctx.run("training.submit_job", submission())
    reads.overrides[job.id] = 4
    job_id = str(job.id)
    for attempt in range(1, 6):
        await ctx.run(
            "training.report_attempt",
            {"training_job_id": job_id, "attempt": attempt, "outcome": "started"},
        )
        points = [{"name": "loss", "step": s, "value": 1 / (s + 1)} for s in range(3000)]
        [batch] = await ctx.run(
            "training.record_metrics",
            {"training_job_id": job_id, "attempt": attempt, "points": points},
        )
        assert isinstance(batch, ExperimentMetricBatch) and batch.count == 3000
        failed = {"training_job_id": job_id, "attempt": attempt, "outcome": "failed"}
        [job] = await ctx.run("training.report_attempt", failed)
    assert isinstance(job, TrainingJob) and job.status == "failed"  # 1 run + 4 retries


async def test_cancel_and_metrics_of_a_finished_job_are_refused() -> None:
    ctx = context()
    [job] = await ctx.run("training.submit_job", submission())
    await ctx.run("training.cancel_job", {"training_job_id": str(job.id), "reason": "stop"})
    point = {"name": "x", "step": 0, "value": 1}
    metrics = {"training_job_id": str(job.id), "attempt": 1, "points": [point]}
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("training.record_metrics", metrics)
    assert refused.value.code == "job_finished"
    with pytest.raises(CommandRejected) as unknown:
        await ctx.run("training.cancel_job", {"training_job_id": str(uuid4()), "reason": "x"})
    assert unknown.value.code == "not_found"


def hard_block(team: str, period_end: datetime) -> BudgetBlock:
    return BudgetBlock(
        uuid4(), "team", team, None, period_end, "USD", Decimal("120"), Decimal("100")
    )


async def test_a_team_over_its_hard_budget_is_refused_other_teams_are_not() -> None:
    reads = FakeReads(blocked={"nlp": hard_block("nlp", NOW + timedelta(days=3))})
    with pytest.raises(CommandRejected) as refused:
        await context(reads).run("training.submit_job", submission())
    assert refused.value.code == "budget_exceeded"
    assert "team nlp" in refused.value.message and "120 of 100 USD" in refused.value.message
    [job] = await context(reads).run("training.submit_job", submission(owner_team="vision"))
    assert isinstance(job, TrainingJob)


async def test_a_hard_budget_of_an_ended_period_no_longer_blocks() -> None:
    reads = FakeReads(blocked={"nlp": hard_block("nlp", NOW)})
    [job] = await context(reads).run("training.submit_job", submission())
    assert isinstance(job, TrainingJob)


def test_a_budget_refusal_is_decided_again_on_retry() -> None:
    assert "budget_exceeded" in build_registry(FakeReads(), lambda: NOW).retryable_codes
