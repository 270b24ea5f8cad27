"""The Authorizer decides from the service's projection of governance role bindings."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import asyncpg
import pytest
from pydantic import BaseModel

from llmops_events.governance import RoleBindingGranted, RoleBindingRevoked
from llmops_runtime.auth import Actor, Permission, RoleBindingAuthorizer, from_payload
from llmops_runtime.auth.bootstrap_admins import BootstrapAdminsInvalid, bootstrap_admins
from llmops_runtime.auth.permissions import permissions_by_wire_type
from llmops_runtime.auth.role_bindings import TABLES, RoleBindings, projector
from llmops_runtime.projections.projector import envelope_of
from llmops_runtime.rejections import CommandRejected

pytestmark = pytest.mark.stack


class Approve(BaseModel):
    WIRE_NAME: ClassVar[str] = "svc.approve_thing"
    thing_id: uuid.UUID
    owner_team: str | None = None


class Register(BaseModel):
    WIRE_NAME: ClassVar[str] = "svc.register_thing"
    owner_team: str


PERMISSIONS = {
    Approve.WIRE_NAME: Permission("approve", "thing", from_payload("owner_team")),
    Register.WIRE_NAME: Permission("register", "thing", from_payload("owner_team")),
}


class Governance:
    """Applies governance's role-binding events to the projection, as the runner would."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema
        self.position = 0

    async def apply(self, event: BaseModel) -> None:
        self.position += 1
        async with self.pool.acquire() as conn, conn.transaction():
            envelope = envelope_of(event, self.position, datetime.now(UTC))
            await projector.apply_batch(conn, self.schema, [envelope])

    async def grant(self, subject: str, role: str, actions: list[str], **scope: Any) -> uuid.UUID:
        binding = uuid.uuid4()
        await self.apply(
            RoleBindingGranted(
                role_binding_id=binding, subject_kind=scope.pop("kind", "actor"), subject=subject,
                role=role, actions=actions, resource_type=scope.get("resource_type"),
                owner_team=scope.get("owner_team"), granted_by="admin", reason="test",
            )
        )  # fmt: skip
        return binding

    async def revoke(self, binding: uuid.UUID) -> None:
        await self.apply(
            RoleBindingRevoked(role_binding_id=binding, revoked_by="admin", reason="test")
        )


@pytest.fixture
async def governance(database_url: str, unique_name: str) -> AsyncIterator[Governance]:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    schema = f"authz_{unique_name}"
    async with pool.acquire() as conn:
        await TABLES.create_all(conn, schema)
    try:
        yield Governance(pool, schema)
    finally:
        await pool.execute(f"DROP SCHEMA {schema} CASCADE")
        await pool.close()


def authorizer(governance: Governance, **kw: Any) -> RoleBindingAuthorizer:
    bindings = RoleBindings(governance.pool, governance.schema)
    return RoleBindingAuthorizer("svc", PERMISSIONS, bindings, None, ttl_s=0, **kw)


def approve(team: str | None = None) -> Approve:
    return Approve(thing_id=uuid.uuid4(), owner_team=team)


async def refusal(authz: RoleBindingAuthorizer, actor: Actor, command: Approve | Register) -> str:
    with pytest.raises(CommandRejected) as refused:
        await authz.authorize(actor, command.WIRE_NAME, command)
    assert refused.value.code == "forbidden"
    return refused.value.message


ALICE = Actor("alice", "iss")


class TestRoleBindingAuthorizer:
    async def test_without_a_binding_the_refusal_names_the_missing_permission(
        self, governance: Governance
    ) -> None:
        message = await refusal(authorizer(governance), ALICE, approve())
        assert "svc.approve on thing" in message and "alice" in message

    async def test_a_binding_granting_the_action_allows_it_and_only_it(
        self, governance: Governance
    ) -> None:
        await governance.grant("alice", "submitter", ["read", "register"])
        authz = authorizer(governance)
        await authz.authorize(ALICE, Register.WIRE_NAME, Register(owner_team="ml"))
        assert "svc.approve" in await refusal(authz, ALICE, approve())

    async def test_admin_actions_allow_every_command(self, governance: Governance) -> None:
        await governance.grant("alice", "admin", ["*"])
        await authorizer(governance).authorize(ALICE, Approve.WIRE_NAME, approve())

    async def test_a_team_binding_allows_members_of_the_team(self, governance: Governance) -> None:
        await governance.grant("reviewers", "approver", ["approve"], kind="team")
        authz = authorizer(governance)
        member = Actor("bob", "iss", teams=("reviewers",))
        await authz.authorize(member, Approve.WIRE_NAME, approve())
        await refusal(authz, Actor("carol", "iss", teams=("others",)), approve())

    async def test_a_binding_scoped_to_an_owner_team_allows_only_that_teams_resources(
        self, governance: Governance
    ) -> None:
        await governance.grant("alice", "approver", ["approve"], owner_team="ml")
        authz = authorizer(governance)
        await authz.authorize(ALICE, Approve.WIRE_NAME, approve("ml"))
        assert "of team data" in await refusal(authz, ALICE, approve("data"))
        await refusal(authz, ALICE, approve(None))

    async def test_a_binding_scoped_to_another_resource_type_does_not_apply(
        self, governance: Governance
    ) -> None:
        await governance.grant("alice", "approver", ["approve"], resource_type="other")
        await refusal(authorizer(governance), ALICE, approve())

    async def test_a_revoked_binding_no_longer_allows(self, governance: Governance) -> None:
        binding = await governance.grant("alice", "approver", ["approve"])
        authz = authorizer(governance)
        await authz.authorize(ALICE, Approve.WIRE_NAME, approve())
        await governance.revoke(binding)
        await refusal(authz, ALICE, approve())

    async def test_a_regrant_after_a_revoke_allows_again(self, governance: Governance) -> None:
        binding = await governance.grant("alice", "approver", ["approve"])
        await governance.revoke(binding)
        await governance.apply(
            RoleBindingGranted(
                role_binding_id=binding, subject_kind="actor", subject="alice", role="approver",
                actions=["approve"], resource_type=None, owner_team=None, granted_by="admin",
                reason="back",
            )
        )  # fmt: skip
        await authorizer(governance).authorize(ALICE, Approve.WIRE_NAME, approve())

    async def test_decisions_are_reused_for_the_ttl_only(self, governance: Governance) -> None:
        binding = await governance.grant("alice", "approver", ["approve"])
        bindings = RoleBindings(governance.pool, governance.schema)
        cached = RoleBindingAuthorizer("svc", PERMISSIONS, bindings, None, ttl_s=60)
        command = approve()
        await cached.authorize(ALICE, Approve.WIRE_NAME, command)
        await governance.revoke(binding)
        await cached.authorize(ALICE, Approve.WIRE_NAME, command)  # within the TTL
        await refusal(authorizer(governance), ALICE, command)

    async def test_bootstrap_admins_are_allowed_without_a_binding(
        self, governance: Governance
    ) -> None:
        authz = authorizer(governance, admins=frozenset({"root"}))
        await authz.authorize(Actor("root", "iss"), Approve.WIRE_NAME, approve())
        await refusal(authz, ALICE, approve())

    async def test_a_command_without_a_declared_permission_is_refused(
        self, governance: Governance
    ) -> None:
        authz = authorizer(governance, admins=frozenset({"alice"}))
        with pytest.raises(CommandRejected) as refused:
            await authz.authorize(ALICE, "svc.unknown", approve())
        assert (
            refused.value.code == "forbidden" and "declares no permission" in refused.value.message
        )


class TestDeclarations:
    def test_every_command_needs_a_permission(self) -> None:
        with pytest.raises(ValueError, match=r"svc\.register_thing"):
            permissions_by_wire_type("svc", [Approve, Register], {Approve: Permission("approve")})

    def test_bootstrap_admins_are_bounded_names(self) -> None:
        assert bootstrap_admins(" ana, bo ,,") == frozenset({"ana", "bo"})
        assert bootstrap_admins("") == frozenset()
        with pytest.raises(BootstrapAdminsInvalid, match="at most 20"):
            bootstrap_admins(",".join(f"a{i}" for i in range(21)))
        with pytest.raises(BootstrapAdminsInvalid, match="not an actor name"):
            bootstrap_admins("ok,bad\x00name")
