"""The TrainingJob rules of the spec, on the aggregate alone (no containers)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_testing import check_rebuilds_to, check_scenario
from training_service.domain import (
    AGGREGATES,
    DEFAULT_MAX_RETRIES,
    ExperimentMetricBatch,
    TrainingJob,
    retry_limit,
)
from training_service.domain.errors import (
    DatasetNotApproved,
    JobFinished,
    ModelNotApproved,
    StaleAttempt,
)

from .conftest import DATASET, MODEL, NOW


def job(**overrides: Any) -> TrainingJob:
    args: dict[str, Any] = dict(
        training_job_id=uuid4(), model_entry_id=MODEL, dataset_ids=[DATASET],
        job_type="finetune", hyperparameters={"lr": 0.1},
        resource_profile={"gpu_count": 2, "memory_gb": 16}, command=["python", "train.py"],
        scheduler_id="local", owner_team="nlp", model_status="approved",
        approved_dataset_ids={str(DATASET)}, actor="alice", now=NOW,
    )  # fmt: skip
    return TrainingJob.submit(**(args | overrides))


class TestJobsMustReferenceApprovedModelsAndDatasets:
    def test_a_job_on_an_approved_model_and_dataset_is_queued(self) -> None:
        j = job()
        assert (j.status, j.attempt, j.submitted_by) == ("queued", 0, "alice")

    def test_a_model_the_catalog_never_approved_is_refused(self) -> None:
        with pytest.raises(ModelNotApproved) as refused:
            job(model_status=None)
        assert refused.value.code == "model_not_approved"

    def test_a_deprecated_model_is_refused(self) -> None:
        with pytest.raises(ModelNotApproved, match="deprecated"):
            job(model_status="deprecated")

    def test_an_unapproved_dataset_version_is_refused(self) -> None:
        other = uuid4()
        with pytest.raises(DatasetNotApproved) as refused:
            job(dataset_ids=[DATASET, other])
        assert refused.value.details["dataset_ids"] == [str(other)]

    def test_a_blank_entrypoint_and_gpu_less_distributed_job_are_field_errors(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            job(command=[" "], job_type="dist_train", resource_profile={"gpu_count": 0})
        assert set(refused.value.field_errors) == {"command", "resource_profile.gpu_count"}


def failing(j: TrainingJob, limit: int) -> bool:
    attempt = j.start_attempt(runner="r", now=NOW)
    return j.fail_attempt(attempt=attempt, exit_code=1, reason="boom", retry_limit=limit, now=NOW)


class TestRetryPolicyCapsAtThreeAutomaticRetriesUnlessOverridden:
    def test_the_cap_is_three_without_override_and_the_override_raises_it(self) -> None:
        assert retry_limit(None) == DEFAULT_MAX_RETRIES == 3
        assert retry_limit(5) == 5

    def test_the_fourth_retry_is_refused_without_override(self) -> None:
        j = job()
        assert [failing(j, retry_limit(None)) for _ in range(4)] == [True, True, True, False]
        assert (j.status, j.attempt) == ("failed", 4)

    def test_an_override_allows_retries_up_to_its_max(self) -> None:
        j = job()
        assert [failing(j, retry_limit(5)) for _ in range(6)] == [True] * 5 + [False]
        assert j.status == "failed"

    def test_each_attempt_is_an_event(self) -> None:
        j = job()
        failing(j, 3)
        j.start_attempt(runner="r", now=NOW)
        names = [type(e).__name__ for e in j.collect_events()]
        assert names == ["Submitted", "AttemptStarted", "AttemptFailed", "AttemptStarted"]


class TestSuccessAndCost:
    def test_success_records_the_artifact_and_gpu_hours_of_every_attempt(self) -> None:
        j = job()
        j.start_attempt(runner="r", now=NOW)
        j.fail_attempt(
            attempt=1, exit_code=1, reason="x", retry_limit=3, now=NOW + timedelta(hours=1)
        )
        j.start_attempt(runner="r", now=NOW + timedelta(hours=2))
        j.succeed(attempt=2, output_artifact_uri="s3://out/1", now=NOW + timedelta(hours=3))
        succeeded = j.collect_events()[-1]
        assert (j.status, j.output_artifact_uri) == ("succeeded", "s3://out/1")
        assert succeeded.gpu_hours == 4.0  # type: ignore[attr-defined]  # 2 GPUs x 2 hours

    def test_an_artifact_that_is_not_a_uri_is_refused(self) -> None:
        j = job()
        j.start_attempt(runner="r", now=NOW)
        with pytest.raises(ValidationFailed):
            j.succeed(attempt=1, output_artifact_uri="out", now=NOW)

    def test_a_report_for_another_attempt_is_stale(self) -> None:
        j = job()
        j.start_attempt(runner="r", now=NOW)
        with pytest.raises(StaleAttempt):
            j.succeed(attempt=2, output_artifact_uri="s3://x", now=NOW)


class TestCancelAtAnyTime:
    @pytest.mark.parametrize("started", [False, True])
    def test_a_queued_or_running_job_is_cancelled(self, started: bool) -> None:
        j = job()
        if started:
            j.start_attempt(runner="r", now=NOW)
        j.cancel(actor="bob", reason="no longer needed", now=NOW + timedelta(hours=1))
        assert j.status == "cancelled"

    def test_a_finished_job_cannot_be_cancelled_or_take_metrics(self) -> None:
        j = job()
        j.cancel(actor="bob", reason="r", now=NOW)
        with pytest.raises(JobFinished):
            j.cancel(actor="bob", reason="again", now=NOW)
        with pytest.raises(JobFinished):
            j.check_metrics(0)

    def test_only_a_queued_job_starts_an_attempt(self) -> None:
        j = job()
        j.start_attempt(runner="r", now=NOW)
        with pytest.raises(InvalidTransition):
            j.start_attempt(runner="r", now=NOW)


def test_the_events_match_their_contracts_and_rebuild_the_job() -> None:
    done, failed, cancelled = job(), job(), job()
    done.start_attempt(runner="r", now=NOW)
    done.succeed(attempt=1, output_artifact_uri="file:///tmp/x", now=NOW + timedelta(minutes=5))
    failing(failed, 0)
    cancelled.cancel(actor="bob", reason="stop", now=NOW)
    batch = ExperimentMetricBatch.record(
        training_job_id=done.id, attempt=1, points=[{"name": "loss", "step": 1, "value": 0.5}],
        actor="r",
    )  # fmt: skip
    events = [*done.collect_events(), *failed.collect_events(), *cancelled.collect_events()]
    check_scenario([*events, *batch.collect_events()], AGGREGATES)
    rebuilt = job()
    failing(rebuilt, 3)
    check_rebuilds_to(rebuilt.collect_events(), rebuilt)
    assert isinstance(rebuilt.id, UUID)
