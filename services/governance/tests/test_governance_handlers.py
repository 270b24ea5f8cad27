"""The governance handlers wired to their commands (in memory): grants, lifecycle, violations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from governance_service.application import build_registry
from governance_service.application.clock import ManualClock
from governance_service.domain import GovernancePolicy, RoleBinding
from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TOKENS: list[dict[str, Any]] = [{"kind": "prohibited_tokens", "tokens": ["password", "ssn"]}]
GRANT = {"subject_kind": "actor", "subject": "ana", "role": "approver", "reason": "board"}


@pytest.fixture
def ctx(clock: ManualClock) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(clock))


async def _refused(ctx: InMemoryHandlerContext, wire: str, payload: dict[str, Any]) -> Any:
    with pytest.raises(CommandRejected) as refused:
        await ctx.run(wire, payload)
    return refused.value


async def _policy(ctx: InMemoryHandlerContext, *, activate: bool = True) -> GovernancePolicy:
    [policy] = await ctx.run(
        "governance.draft_policy", {"name": "hygiene", "scope": "model", "rules": TOKENS}
    )
    assert isinstance(policy, GovernancePolicy)
    if activate:
        await ctx.run(
            "governance.activate_policy", {"policy_id": str(policy.id), "reason": "in force"}
        )
    return policy


class TestGrantRole:
    async def test_a_grant_creates_a_binding_with_a_derived_id_and_resolved_actions(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        [binding] = await ctx.run("governance.grant_role", GRANT)
        assert isinstance(binding, RoleBinding)
        assert binding.id == RoleBinding.create_id("actor", "ana", "approver")
        assert binding.actions == ["approve", "deprecate", "read", "review"]
        assert (binding.granted_by, binding.active) == ("alice", True)

    async def test_an_admin_grant_carries_every_action(self, ctx: InMemoryHandlerContext) -> None:
        [binding] = await ctx.run("governance.grant_role", GRANT | {"role": "admin"})
        assert isinstance(binding, RoleBinding) and binding.actions == ["*"]

    async def test_granting_an_active_binding_again_is_an_invalid_transition(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        await ctx.run("governance.grant_role", GRANT)
        assert (await _refused(ctx, "governance.grant_role", GRANT)).code == "invalid_transition"

    async def test_a_revoked_binding_is_granted_again_under_the_same_id(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        [binding] = await ctx.run("governance.grant_role", GRANT)
        await ctx.run(
            "governance.revoke_role", {"role_binding_id": str(binding.id), "reason": "left"}
        )
        [again] = await ctx.run("governance.grant_role", GRANT | {"reason": "back"})
        assert isinstance(again, RoleBinding)
        assert (again.id, again.active, again.reason) == (binding.id, True, "back")

    async def test_an_unknown_role_and_a_missing_reason_are_field_errors(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        refused = await _refused(
            ctx, "governance.grant_role", GRANT | {"role": "god", "reason": " "}
        )
        assert refused.code == "validation_failed"
        assert {e.loc for e in refused.field_errors} >= {"payload.role"}

    async def test_revoking_an_unknown_binding_is_not_found(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        refused = await _refused(
            ctx, "governance.revoke_role", {"role_binding_id": str(uuid4()), "reason": "x"}
        )
        assert refused.code == "not_found"


class TestPolicyLifecycle:
    async def test_a_second_draft_of_a_name_is_a_duplicate(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        await _policy(ctx, activate=False)
        payload = {"name": "hygiene", "scope": "model", "rules": TOKENS}
        assert (await _refused(ctx, "governance.draft_policy", payload)).code == "duplicate_version"

    async def test_bad_rules_are_field_errors_naming_the_rule_field(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        payload = {"name": "p", "scope": "model", "rules": [{"kind": "max_training_retries"}]}
        refused = await _refused(ctx, "governance.draft_policy", payload)
        assert refused.code == "validation_failed"
        assert any("rules" in e.loc for e in refused.field_errors)

    async def test_activation_is_stamped_with_the_injected_clock(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        policy = await _policy(ctx)
        stored = await ctx.require(policy.id, GovernancePolicy)
        assert (stored.status, stored.in_force_since) == ("active", T0)

    async def test_suspend_retire_and_revise_follow_the_lifecycle(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        policy = await _policy(ctx)
        pid = str(policy.id)
        revise = {"policy_id": pid, "rules": TOKENS, "reason": "tighten"}
        assert (
            await _refused(ctx, "governance.revise_policy_rules", revise)
        ).code == "invalid_transition"
        await ctx.run("governance.suspend_policy", {"policy_id": pid, "reason": "pause"})
        await ctx.run("governance.revise_policy_rules", revise)
        await ctx.run("governance.retire_policy", {"policy_id": pid, "reason": "done"})
        stored = await ctx.require(policy.id, GovernancePolicy)
        assert stored.status == "retired"

    async def test_every_change_needs_a_reason(self, ctx: InMemoryHandlerContext) -> None:
        policy = await _policy(ctx, activate=False)
        refused = await _refused(
            ctx, "governance.activate_policy", {"policy_id": str(policy.id), "reason": ""}
        )
        assert refused.code == "validation_failed"
        assert {e.loc for e in refused.field_errors} == {"payload.reason"}


class TestReview:
    async def test_the_reviewer_is_the_actor_and_the_review_lifts_overdue(
        self, ctx: InMemoryHandlerContext, clock: ManualClock
    ) -> None:
        policy = await _policy(ctx)
        stored = await ctx.require(policy.id, GovernancePolicy)
        clock.advance(timedelta(days=91))
        assert stored.check_review_due(clock())
        ctx.saved[stored.id] = stored
        await ctx.run(
            "governance.review_policy",
            {"policy_id": str(policy.id), "decision": "approved", "notes": "still right"},
        )
        reviewed = await ctx.require(policy.id, GovernancePolicy)
        assert reviewed.reviews[-1][0] == "alice"
        assert (reviewed.review_overdue, reviewed.last_reviewed_at) == (False, clock())


class TestRecordViolation:
    def _violation(self, policy: GovernancePolicy) -> dict[str, Any]:
        return {
            "policy_id": str(policy.id), "resource_type": "prompt_template",
            "resource_id": str(uuid4()), "details": "contains 'password'",
        }  # fmt: skip

    async def test_a_violation_of_an_active_policy_gets_an_id_derived_from_the_command(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        policy = await _policy(ctx)
        await ctx.run("governance.record_policy_violation", self._violation(policy))
        stored = await ctx.require(policy.id, GovernancePolicy)
        assert stored.violation_ids == [str(GovernancePolicy.violation_id_for(policy.id, "cmd-1"))]

    async def test_the_same_command_again_records_the_violation_once(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        policy = await _policy(ctx)
        payload = self._violation(policy)
        await ctx.run("governance.record_policy_violation", payload)
        await ctx.run("governance.record_policy_violation", payload)
        stored = await ctx.require(policy.id, GovernancePolicy)
        assert len(stored.violation_ids) == 1

    async def test_a_violation_of_a_draft_policy_is_refused(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        policy = await _policy(ctx, activate=False)
        refused = await _refused(ctx, "governance.record_policy_violation", self._violation(policy))
        assert refused.code == "invalid_transition"

    async def test_an_unknown_resource_type_is_refused_by_the_contract_naming_the_field(
        self, ctx: InMemoryHandlerContext
    ) -> None:
        # The bus answers a contract error as validation_failed with these locations.
        policy = await _policy(ctx)
        payload = self._violation(policy) | {"resource_type": "cluster"}
        with pytest.raises(ValidationError) as refused:
            await ctx.run("governance.record_policy_violation", payload)
        assert [e["loc"] for e in refused.value.errors()] == [("resource_type",)]
