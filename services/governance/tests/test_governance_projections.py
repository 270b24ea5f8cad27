"""The governance read model as its typed projector writes it, in a real PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

import asyncpg
import pytest

from governance_service.projections import projections
from governance_service.views import GovernanceViews
from llmops_events import governance as contracts
from llmops_runtime.projections.projector import envelope_of
from llmops_runtime.relay.envelope import EventEnvelope

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PERIOD = timedelta(days=90)
RULES: list[dict[str, Any]] = [{"kind": "prohibited_tokens", "tokens": ["password"]}]
BINDING = uuid4()
POLICY = uuid4()


def period() -> timedelta:
    return PERIOD


def grant(cls: type[contracts.RoleBindingGranted] = contracts.RoleBindingGranted) -> Any:
    return cls(
        role_binding_id=BINDING, subject_kind="actor", subject="ana", role="approver",
        actions=["approve", "read"], resource_type=None, owner_team="nlp", granted_by="root",
        reason="board",
    )  # fmt: skip


def drafted() -> contracts.PolicyDrafted:
    return contracts.PolicyDrafted(
        policy_id=POLICY, name="hygiene", scope="model", rules=RULES, drafted_by="gina"
    )


def activated(at: datetime = T0) -> contracts.PolicyActivated:
    return contracts.PolicyActivated(policy_id=POLICY, changed_by="gina", reason="go", at=at)


@pytest.fixture
async def conn(database_url: str, unique_name: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection with the read model's tables in a fresh schema."""
    connection = await asyncpg.connect(database_url)
    await projections(period)[0].create_tables(connection, unique_name)
    yield connection
    await connection.execute(f"DROP SCHEMA {unique_name} CASCADE")
    await connection.close()


async def apply(conn: asyncpg.Connection, schema: str, *events: Any, start: int = 1) -> None:
    """Apply events as the store hands them over, one position each."""
    envelopes: list[EventEnvelope] = [
        envelope_of(e, start + i, T0 + timedelta(seconds=i)) for i, e in enumerate(events)
    ]
    await projections(period)[0].apply_batch(conn, schema, envelopes)  # type: ignore[misc]


async def one(conn: asyncpg.Connection, schema: str, table: str) -> asyncpg.Record:
    rows = await conn.fetch(f"SELECT * FROM {schema}.{table}")
    assert len(rows) == 1, rows
    return rows[0]


class TestRoleBindings:
    async def test_a_grant_is_one_active_row_with_its_actions_and_scope(
        self, conn: asyncpg.Connection, unique_name: str
    ) -> None:
        await apply(conn, unique_name, grant(), grant())  # redelivered: still one row
        row = await one(conn, unique_name, "role_bindings")
        assert (row["subject"], row["role"], row["active"]) == ("ana", "approver", True)
        assert json.loads(row["actions"]) == ["approve", "read"]
        assert (row["resource_type"], row["owner_team"]) == (None, "nlp")

    async def test_a_revoke_then_a_re_grant_leave_the_row_active_again(
        self, conn: asyncpg.Connection, unique_name: str
    ) -> None:
        revoked = contracts.RoleBindingRevoked(role_binding_id=BINDING, revoked_by="r", reason="x")
        await apply(conn, unique_name, grant(), revoked)
        row = await one(conn, unique_name, "role_bindings")
        assert (row["active"], row["revoked_by"]) == (False, "r")
        await apply(conn, unique_name, grant(contracts.RoleBindingRegranted), start=3)
        row = await one(conn, unique_name, "role_bindings")
        assert (row["active"], row["revoked_by"]) == (True, None)


class TestPolicies:
    async def test_a_draft_has_the_spec_columns_and_no_clock(
        self, conn: asyncpg.Connection, unique_name: str
    ) -> None:
        await apply(conn, unique_name, drafted())
        row = await one(conn, unique_name, "policies")
        assert (row["name"], row["scope"], row["status"]) == ("hygiene", "model", "draft")
        assert json.loads(row["rules"]) == RULES
        assert (row["last_reviewed_at"], row["due_at"], row["review_overdue"]) == (
            None, None, False,
        )  # fmt: skip

    async def test_activation_starts_the_clock_and_a_review_restarts_it(
        self, conn: asyncpg.Connection, unique_name: str
    ) -> None:
        later = T0 + timedelta(days=30)
        reviewed = contracts.PolicyReviewed(
            policy_id=POLICY, reviewer="rita", decision="approved", notes="ok", at=later
        )
        await apply(conn, unique_name, drafted(), activated())
        row = await one(conn, unique_name, "policies")
        assert (row["status"], row["due_at"]) == ("active", T0 + PERIOD)
        await apply(conn, unique_name, reviewed, start=3)
        row = await one(conn, unique_name, "policies")
        assert (row["last_reviewed_at"], row["due_at"]) == (later, later + PERIOD)
        review = await one(conn, unique_name, "policy_reviews")
        assert (review["reviewer"], review["decision"], review["reviewed_at"]) == (
            "rita", "approved", later,
        )  # fmt: skip

    async def test_overdue_is_shown_until_a_review_lifts_it(
        self, conn: asyncpg.Connection, unique_name: str
    ) -> None:
        due = T0 + PERIOD
        overdue = contracts.PolicyReviewOverdue(policy_id=POLICY, due_at=due, detected_at=due)
        await apply(conn, unique_name, drafted(), activated(), overdue)
        assert (await one(conn, unique_name, "policies"))["review_overdue"] is True
        reviewed = contracts.PolicyReviewed(
            policy_id=POLICY, reviewer="rita", decision="approved", notes="ok", at=due
        )
        await apply(conn, unique_name, reviewed, start=4)
        row = await one(conn, unique_name, "policies")
        assert (row["review_overdue"], row["due_at"]) == (False, due + PERIOD)

    async def test_suspend_and_retire_set_the_status(
        self, conn: asyncpg.Connection, unique_name: str
    ) -> None:
        suspended = contracts.PolicySuspended(policy_id=POLICY, changed_by="g", reason="p", at=T0)
        await apply(conn, unique_name, drafted(), activated(), suspended)
        assert (await one(conn, unique_name, "policies"))["status"] == "suspended"
        retired = contracts.PolicyRetired(policy_id=POLICY, changed_by="g", reason="e", at=T0)
        await apply(conn, unique_name, retired, start=4)
        assert (await one(conn, unique_name, "policies"))["status"] == "retired"

    async def test_a_violation_is_one_row_even_when_redelivered(
        self, conn: asyncpg.Connection, unique_name: str
    ) -> None:
        resource = uuid4()
        violation = contracts.PolicyViolationRecorded(
            policy_id=POLICY, violation_id=uuid5(POLICY, "cmd"), resource_type="model_version",
            resource_id=resource, details="no eval", recorded_by="bot",
        )  # fmt: skip
        await apply(conn, unique_name, drafted(), activated(), violation, violation)
        row = await one(conn, unique_name, "policy_violations")
        assert (row["resource_id"], row["policy_id"], row["details"]) == (
            resource, POLICY, "no eval",
        )  # fmt: skip


async def test_the_views_nominate_active_policies_past_their_period(
    conn: asyncpg.Connection, unique_name: str, database_url: str
) -> None:
    await apply(conn, unique_name, drafted(), activated())
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        views = GovernanceViews(pool, unique_name)
        assert await views.due_policies(T0 + PERIOD - timedelta(seconds=1), PERIOD) == []
        assert await views.due_policies(T0 + PERIOD, PERIOD) == [POLICY]
        # The configured period decides, whatever due_at the projection computed.
        assert await views.due_policies(T0 + timedelta(seconds=5), timedelta(seconds=5)) == [POLICY]
        assert isinstance(POLICY, UUID)
    finally:
        await pool.close()
