"""The dataset handlers wired to their commands: duplicates, the prior-version rule, approval."""

from __future__ import annotations

from typing import Any

import pytest

from dataset_service.application import build_registry
from dataset_service.domain import DatasetSeries, DatasetVersion
from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext

REGISTER = {
    "name": "tickets",
    "version": "2025-01",
    "storage_uri": "s3://datasets/tickets/2025-01/",
    "owner_team": "data",
    "change_log": "first export",
}


class FakePolicies:
    """The overdue dataset-scope policies, set by the test."""

    def __init__(self) -> None:
        self.overdue: list[tuple[str, str]] = []

    async def overdue_policies(self) -> list[tuple[str, str]]:
        return list(self.overdue)


@pytest.fixture
def policies() -> FakePolicies:
    return FakePolicies()


@pytest.fixture
def ctx(policies: FakePolicies) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(policies))


async def _registered(ctx: InMemoryHandlerContext, **overrides: Any) -> DatasetVersion:
    version, series = await ctx.run("dataset.register_dataset_version", REGISTER | overrides)
    assert isinstance(version, DatasetVersion)
    assert isinstance(series, DatasetSeries)
    assert series.latest_version == version.version_label
    return version


class TestRegistration:
    async def test_a_duplicate_version_is_rejected_as_duplicate_version(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        await _registered(ctx)
        with pytest.raises(CommandRejected) as refused:
            await _registered(ctx)
        assert refused.value.code == "duplicate_version"

    async def test_a_second_version_must_reference_the_latest_known_one(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        await _registered(ctx)
        with pytest.raises(CommandRejected) as refused:
            await _registered(ctx, version="2025-02")
        assert refused.value.code == "validation_failed"
        locs = {e.loc for e in refused.value.field_errors}
        assert locs == {"payload.previous_version", "payload.diff_summary"}

    async def test_a_second_version_with_a_diff_summary_is_accepted(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        await _registered(ctx)
        second = await _registered(
            ctx, version="2025-02", previous_version="2025-01", diff_summary="+2k tickets"
        )
        assert second.previous_version == "2025-01"


class TestApproval:
    async def test_an_overdue_dataset_policy_blocks_approval(
        self, ctx: InMemoryHandlerContext, policies: FakePolicies
    ) -> None:
        version = await _registered(ctx)
        vid = str(version.id)
        await ctx.run(
            "dataset.record_pii_scan", {"dataset_version_id": vid, "pii_scan_status": "clean"}
        )
        policies.overdue.append(("pii-handling", "2026-03-01T00:00:00+00:00"))
        ctx.actor = "rita"
        payload = {"dataset_version_id": vid, "reason": "ok"}
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("dataset.approve_dataset_version", payload)
        assert refused.value.code == "policy_review_overdue"
        assert "pii-handling" in refused.value.message
        policies.overdue.clear()
        [approved] = await ctx.run("dataset.approve_dataset_version", payload)
        assert isinstance(approved, DatasetVersion) and approved.approved

    async def test_the_registrant_cannot_approve_their_version(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        version = await _registered(ctx)
        vid = str(version.id)
        await ctx.run(
            "dataset.record_pii_scan", {"dataset_version_id": vid, "pii_scan_status": "clean"}
        )
        payload = {"dataset_version_id": vid, "reason": "mine"}
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("dataset.approve_dataset_version", payload)
        assert refused.value.code == "separation_of_duties"
        ctx.actor = "rita"
        [approved] = await ctx.run("dataset.approve_dataset_version", payload)
        assert isinstance(approved, DatasetVersion) and approved.approved

    async def test_approval_is_refused_while_the_scan_is_pending(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        version = await _registered(ctx)
        payload = {"dataset_version_id": str(version.id), "reason": "ok"}
        ctx.actor = "rita"
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("dataset.approve_dataset_version", payload)
        assert refused.value.code == "pii_scan_not_clean"

    async def test_an_approved_version_refuses_a_new_scan(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        version = await _registered(ctx)
        vid = str(version.id)
        await ctx.run(
            "dataset.record_pii_scan", {"dataset_version_id": vid, "pii_scan_status": "clean"}
        )
        ctx.actor = "rita"
        await ctx.run(
            "dataset.approve_dataset_version", {"dataset_version_id": vid, "reason": "ok"}
        )
        with pytest.raises(CommandRejected) as refused:
            await ctx.run(
                "dataset.record_pii_scan", {"dataset_version_id": vid, "pii_scan_status": "failed"}
            )
        assert refused.value.code == "immutable_snapshot"

    async def test_an_unknown_version_is_not_found(self, ctx: InMemoryHandlerContext) -> None:
        payload = {"dataset_version_id": "00000000-0000-4000-8000-000000000001", "reason": "x"}
        with pytest.raises(CommandRejected) as refused:
            await ctx.run("dataset.approve_dataset_version", payload)
        assert refused.value.code == "not_found"
