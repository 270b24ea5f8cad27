"""Handlers of the training commands: load, call the aggregate, return it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID, uuid4

from llmops_events import training as contracts
from llmops_runtime.budgets import BUDGET_EXCEEDED, BudgetBlock
from llmops_runtime.commands import CommandRegistry, CommandRejected, HandlerContext
from training_service.domain import ExperimentMetricBatch, TrainingJob, retry_limit
from training_service.domain.errors import ProgramNotAllowed, StaleAttempt
from training_service.settings import DEFAULT_LOCAL_PROGRAMS

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


class TrainingReadModel(Protocol):
    """What the rules read from the service's projections of other services' events."""

    async def model_status(self, model_entry_id: UUID) -> str | None:
        """approved / deprecated as learned from the catalog; None if never approved."""
        ...

    async def approved_dataset_ids(self, dataset_ids: Collection[UUID]) -> set[str]:
        """The subset of dataset_ids known to be approved."""
        ...

    async def retry_override(self, training_job_id: UUID) -> int | None:
        """max_retries of an approved governance override for the job, if any."""
        ...

    async def budget_block(
        self, team: str, model_entry_id: UUID, now: datetime
    ) -> BudgetBlock | None:
        """A budget of the team or model over its hard limit, as the cost service announced."""
        ...


async def report_attempt(
    job: TrainingJob,
    p: contracts.ReportTrainingAttempt,
    reads: TrainingReadModel,
    now: datetime,
) -> None:
    """Apply a scheduler's report to the job (the command and the local scheduler share it)."""
    if p.outcome == "started":
        if p.attempt != job.attempt + 1:
            raise StaleAttempt(f"the next attempt is {job.attempt + 1}, not {p.attempt}")
        job.start_attempt(runner=p.runner, now=now)
    elif p.outcome == "succeeded":
        uri = p.output_artifact_uri or ""
        job.succeed(attempt=p.attempt, output_artifact_uri=uri, now=now)
    else:
        limit = retry_limit(await reads.retry_override(job.id))
        job.fail_attempt(
            attempt=p.attempt, exit_code=p.exit_code, reason=p.reason or "failed",
            retry_limit=limit, now=now,
        )  # fmt: skip


def check_local_program(command: Sequence[str], programs: Collection[str]) -> None:
    """A `local` job runs on this host: only a program of the configured list."""
    if command[0] not in programs:
        shown = ", ".join(repr(p) for p in sorted(programs)[:10]) or "none"
        raise ProgramNotAllowed(
            f"the local scheduler runs only the programs of LLMOPS_TRAINING_LOCAL_PROGRAMS"
            f" ({shown}); {command[0][:200]!r} is not one"
        )


def build_registry(
    reads: TrainingReadModel,
    now: Clock = utc_now,
    *,
    local_programs: Collection[str] = DEFAULT_LOCAL_PROGRAMS,
) -> CommandRegistry:
    """Every training command over the read model, this clock and the local programs."""
    # A budget refusal depends on the cost service's announcements: a retry is decided again.
    registry = CommandRegistry(retryable_codes=(BUDGET_EXCEEDED,))

    @registry.handles(contracts.SubmitTrainingJob)
    async def submit_job(p: contracts.SubmitTrainingJob, ctx: HandlerContext) -> list[TrainingJob]:
        """Queue a job on an approved model and approved datasets, within the team's budget."""
        block = await reads.budget_block(p.owner_team, p.model_entry_id, now())
        if block is not None:
            raise CommandRejected(BUDGET_EXCEEDED, block.describe())
        if p.scheduler_id == "local":
            check_local_program(p.command, local_programs)
        job = TrainingJob.submit(
            training_job_id=uuid4(), **p.model_dump(mode="json", exclude={"model_entry_id",
            "dataset_ids"}), model_entry_id=p.model_entry_id, dataset_ids=p.dataset_ids,
            model_status=await reads.model_status(p.model_entry_id),
            approved_dataset_ids=await reads.approved_dataset_ids(p.dataset_ids),
            actor=ctx.actor, now=now(),
        )  # fmt: skip
        return [job]

    @registry.handles(contracts.CancelTrainingJob)
    async def cancel_job(p: contracts.CancelTrainingJob, ctx: HandlerContext) -> list[TrainingJob]:
        """Cancel a job that has not finished (its scheduler kills a running attempt)."""
        job = await ctx.require(p.training_job_id, TrainingJob)
        job.cancel(actor=ctx.actor, reason=p.reason, now=now())
        return [job]

    @registry.handles(contracts.RecordTrainingMetrics)
    async def record_metrics(
        p: contracts.RecordTrainingMetrics, ctx: HandlerContext
    ) -> list[ExperimentMetricBatch]:
        """Record a batch of metric points of the job's current attempt."""
        job = await ctx.require(p.training_job_id, TrainingJob)
        job.check_metrics(p.attempt)
        # Unset units and timestamps are left out: a third less to encode, hash and store.
        points = p.model_dump(mode="json", exclude_none=True)["points"]
        return [
            ExperimentMetricBatch.record(
                training_job_id=job.id, attempt=p.attempt, points=points, actor=ctx.actor
            )
        ]

    @registry.handles(contracts.ReportTrainingAttempt)
    async def report(p: contracts.ReportTrainingAttempt, ctx: HandlerContext) -> list[TrainingJob]:
        """A scheduler's report of an attempt's start or end."""
        job = await ctx.require(p.training_job_id, TrainingJob)
        await report_attempt(job, p, reads, now())
        return [job]

    return registry
