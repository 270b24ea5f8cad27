"""The catalog's handlers wired to its commands: rejections, read models and aliases."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID, uuid4

import pytest

from catalog_service.application import build_registry
from catalog_service.domain import EvaluationSummary, GoverningPolicy, ModelVersion
from catalog_service.domain.evaluations import EvaluationType
from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext

DATASET_ID = "8c3f8f8e-1111-4b4b-9a9a-000000000001"
MODEL_CARD = {"purpose": "support", "scope": "en", "contact": "ml@x.org", "licensing": "MIT"}


class FakeCatalogReadModel:
    """Known dataset ids and evaluation runs, set by the test."""

    def __init__(self) -> None:
        self.dataset_ids: set[str] = set()
        self.evaluations: list[EvaluationSummary] = []
        self.policies: list[GoverningPolicy] = []
        self.succeeded_jobs: set[UUID] = set()

    async def known_dataset_ids(self, dataset_ids: Collection[str]) -> set[str]:
        """The known subset."""
        return self.dataset_ids & set(dataset_ids)

    async def training_job_succeeded(self, training_job_id: UUID) -> bool:
        """Whether the test made the job succeed."""
        return training_job_id in self.succeeded_jobs

    async def evaluations_of(self, model_version_id: str) -> list[EvaluationSummary]:
        """The runs of that version."""
        return [e for e in self.evaluations if e.model_version_id == model_version_id]

    async def governing_policies(self) -> list[GoverningPolicy]:
        """The policies set by the test."""
        return list(self.policies)


REGISTER = {
    "name": "support-bot",
    "version": "1.0.0",
    "type": "fine-tuned",
    "owner_team": "ml-platform",
    "metadata": MODEL_CARD,
    "lineage_dataset_ids": [DATASET_ID],
}


@pytest.fixture
def reads() -> FakeCatalogReadModel:
    model = FakeCatalogReadModel()
    model.dataset_ids.add(DATASET_ID)
    return model


@pytest.fixture
def ctx(reads: FakeCatalogReadModel) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(reads))


async def _registered(ctx: InMemoryHandlerContext, **overrides: Any) -> ModelVersion:
    [version] = await ctx.run("catalog.register_model_version", REGISTER | overrides)
    assert isinstance(version, ModelVersion)
    return version


async def _under_review(ctx: InMemoryHandlerContext) -> ModelVersion:
    version = await _registered(ctx)
    payload = {"model_version_id": str(version.id), "reason": "ready"}
    await ctx.run("catalog.submit_model_version", payload)
    return version


def _run(version: ModelVersion, type_: EvaluationType, run_id: str) -> EvaluationSummary:
    return EvaluationSummary(
        run_id, str(version.id), type_, "completed", "2025-01-01T00:00:00+00:00"
    )


class TestRegistration:
    async def test_a_duplicate_version_is_rejected_as_duplicate_version(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        await _registered(ctx)
        with pytest.raises(CommandRejected) as refused:
            await _registered(ctx)
        assert refused.value.code == "duplicate_version"

    async def test_lineage_naming_an_unseen_dataset_is_refused_with_a_field_error(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        unseen = "00000000-0000-4000-8000-000000000099"
        with pytest.raises(CommandRejected) as refused:
            await _registered(ctx, lineage_dataset_ids=[unseen])
        assert refused.value.code == "validation_failed"
        [error] = refused.value.field_errors
        assert error.loc == "payload.lineage.dataset_ids" and unseen in error.message

    async def test_the_registering_actor_is_recorded(self, ctx: InMemoryHandlerContext) -> None:
        assert (await _registered(ctx)).registered_by == "alice"


class TestApprovalUnderPolicies:
    async def _ready(
        self, ctx: InMemoryHandlerContext, reads: FakeCatalogReadModel
    ) -> dict[str, str]:
        version = await _under_review(ctx)
        reads.evaluations.extend(
            [
                _run(version, "automated", "11111111-1111-4111-8111-111111111111"),
                _run(version, "human", "22222222-2222-4222-8222-222222222222"),
            ]
        )
        ctx.actor = "rita"
        return {"model_version_id": str(version.id), "reason": "ok"}

    async def test_an_overdue_policy_blocks_approval_until_reviewed(
        self, ctx: InMemoryHandlerContext, reads: FakeCatalogReadModel
    ) -> None:
        payload = await self._ready(ctx, reads)
        reads.policies.append(GoverningPolicy("model-risk", (), True, "2026-01-01T00:00:00+00:00"))
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("catalog.approve_model_version", payload)
        assert refused.value.code == "policy_review_overdue"
        assert "model-risk" in refused.value.message
        reads.policies[0] = GoverningPolicy("model-risk", (), False)
        [approved] = await ctx.run("catalog.approve_model_version", payload)
        assert isinstance(approved, ModelVersion) and approved.status == "approved"

    async def test_required_evaluations_of_an_active_policy_must_be_met(
        self, ctx: InMemoryHandlerContext, reads: FakeCatalogReadModel
    ) -> None:
        payload = await self._ready(ctx, reads)
        rule = {
            "kind": "required_evaluations", "minimum_runs": {"automated": 2},
            "thresholds": {"accuracy": 0.9},
        }  # fmt: skip
        reads.policies.append(GoverningPolicy("two-runs", (rule,)))
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("catalog.approve_model_version", payload)
        assert refused.value.code == "policy_requirements_unmet"
        assert "2 completed automated run(s), found 1" in refused.value.message
        assert "mean accuracy >= 0.9, found no score" in refused.value.message


class TestApproval:
    async def test_the_registrant_and_submitter_cannot_approve_their_version(
        self, ctx: InMemoryHandlerContext, reads: FakeCatalogReadModel
    ) -> None:
        version = await _registered(ctx)
        ctx.actor = "sam"
        await ctx.run(
            "catalog.submit_model_version", {"model_version_id": str(version.id), "reason": "go"}
        )
        reads.evaluations.extend(
            [
                _run(version, "automated", "11111111-1111-4111-8111-111111111111"),
                _run(version, "human", "22222222-2222-4222-8222-222222222222"),
            ]
        )
        payload = {"model_version_id": str(version.id), "reason": "mine"}
        for actor, earlier in (("alice", "registered"), ("sam", "submitted")):
            ctx.actor = actor
            with pytest.raises(CommandRejected) as refused:
                await ctx.run("catalog.approve_model_version", payload)
            assert refused.value.code == "separation_of_duties"
            assert earlier in refused.value.message
        ctx.actor = "rita"
        [approved] = await ctx.run("catalog.approve_model_version", payload)
        assert isinstance(approved, ModelVersion) and approved.status == "approved"

    async def test_approval_names_the_missing_evaluations(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        version = await _under_review(ctx)
        payload = {"model_version_id": str(version.id), "reason": "ok"}
        ctx.actor = "rita"  # a reviewer other than the registrant and submitter
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("catalog.approve_model_version", payload)
        assert refused.value.code == "missing_evaluations"
        assert "automated" in refused.value.message
        assert "human_or_llm_judge" in refused.value.message

    async def test_approval_uses_and_records_the_projected_evaluations(
        self, ctx: InMemoryHandlerContext, reads: FakeCatalogReadModel
    ) -> None:
        version = await _under_review(ctx)
        runs = [
            _run(version, "automated", "11111111-1111-4111-8111-111111111111"),
            _run(version, "human", "22222222-2222-4222-8222-222222222222"),
        ]
        reads.evaluations.extend(runs)
        payload = {"model_version_id": str(version.id), "reason": "ok"}
        ctx.actor = "rita"
        [approved] = await ctx.run("catalog.approve_model_version", payload)
        assert isinstance(approved, ModelVersion)
        assert approved.status == "approved"
        assert set(approved.evaluation_summary) == {"automated", "human"}

    async def test_an_unknown_version_is_not_found(self, ctx: InMemoryHandlerContext) -> None:
        payload = {"model_version_id": "00000000-0000-4000-8000-000000000001", "reason": "x"}
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("catalog.submit_model_version", payload)
        assert refused.value.code == "not_found"


class TestAliases:
    async def test_an_alias_cannot_point_at_a_draft(self, ctx: InMemoryHandlerContext) -> None:
        version = await _registered(ctx)
        payload = {"name": "support-bot", "alias": "champion", "model_version_id": str(version.id)}
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("catalog.set_model_alias", payload)
        assert refused.value.code == "alias_target_not_approved"

    async def test_removing_an_unknown_alias_is_not_found(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("catalog.remove_model_alias", {"name": "support-bot", "alias": "x"})
        assert refused.value.code == "not_found"


class TestTrainingJobLineage:
    async def test_a_fine_tuned_version_names_the_succeeded_job_that_produced_it(
        self, ctx: InMemoryHandlerContext, reads: FakeCatalogReadModel
    ) -> None:
        job = uuid4()
        reads.succeeded_jobs.add(job)
        [version] = await ctx.run(
            "catalog.register_model_version", REGISTER | {"lineage_training_job_id": str(job)}
        )
        assert isinstance(version, ModelVersion)
        assert version.lineage_training_job_id == str(job)

    async def test_an_unknown_or_unsucceeded_training_job_is_refused(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        payload = REGISTER | {"lineage_training_job_id": str(uuid4())}
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("catalog.register_model_version", payload)
        assert refused.value.code == "validation_failed"
        assert "unsucceeded training job" in refused.value.message
