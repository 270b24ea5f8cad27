"""RoleBinding: grant, revoke and grant again; scopes; every change says who and why."""

from __future__ import annotations

import pytest

from governance_service.domain import RoleBinding, grants
from llmops_domain.errors import InvalidTransition, ValidationFailed


def grant(**overrides: object) -> RoleBinding:
    args: dict[str, object] = {
        "subject_kind": "actor",
        "subject": "ana",
        "role": "approver",
        "actor": "root",
        "reason": "joins the model review board",
    }
    return RoleBinding.grant(**(args | overrides))  # type: ignore[arg-type]


class TestGrant:
    def test_a_grant_names_subject_role_scope_grantor_and_reason(self) -> None:
        binding = grant(resource_type="model_version", owner_team="nlp")
        assert (binding.subject, binding.role, binding.granted_by) == ("ana", "approver", "root")
        assert (binding.resource_type, binding.owner_team, binding.active) == (
            "model_version",
            "nlp",
            True,
        )

    def test_the_id_is_derived_from_subject_role_and_scope(self) -> None:
        assert grant().id == grant(reason="again").id
        assert grant().id != grant(owner_team="nlp").id
        assert grant().id != grant(subject_kind="team").id

    def test_an_unknown_role_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            grant(role="superuser")
        assert "role" in refused.value.field_errors

    def test_an_unknown_subject_kind_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            grant(subject_kind="robot")
        assert "subject_kind" in refused.value.field_errors

    def test_an_unbounded_subject_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            grant(subject="x" * 201)
        assert "subject" in refused.value.field_errors

    def test_a_grant_without_a_reason_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            grant(reason=" ")
        assert "reason" in refused.value.field_errors


class TestRevoke:
    def test_revoke_records_who_and_why_and_deactivates(self) -> None:
        binding = grant()
        binding.revoke(actor="root", reason="left the board")
        assert not binding.active
        last = binding.collect_events()[-1]
        assert isinstance(last, RoleBinding.Revoked)
        assert (last.revoked_by, last.reason) == ("root", "left the board")

    def test_a_revoked_binding_cannot_be_revoked_again(self) -> None:
        binding = grant()
        binding.revoke(actor="root", reason="left")
        with pytest.raises(InvalidTransition):
            binding.revoke(actor="root", reason="again")

    def test_a_revoked_binding_can_be_granted_again(self) -> None:
        binding = grant()
        binding.revoke(actor="root", reason="left")
        binding.grant_again(actor="root", reason="came back")
        assert binding.active

    def test_an_active_binding_cannot_be_granted_again(self) -> None:
        with pytest.raises(InvalidTransition):
            grant().grant_again(actor="root", reason="twice")


class TestScope:
    def test_an_unscoped_binding_covers_everything(self) -> None:
        assert grant().covers("dataset_version", "data")

    def test_a_scoped_binding_covers_only_its_owner_team(self) -> None:
        binding = grant(owner_team="nlp")
        assert binding.covers("model_version", "nlp")
        assert not binding.covers("model_version", "vision")

    def test_a_scoped_binding_covers_only_its_resource_type(self) -> None:
        binding = grant(resource_type="dataset_version")
        assert not binding.covers("model_version", None)


class TestRoles:
    @pytest.mark.parametrize(
        ("role", "action", "allowed"),
        [
            ("viewer", "read", True),
            ("viewer", "approve", False),
            ("submitter", "register", True),
            ("submitter", "approve", False),
            ("approver", "approve", True),
            ("operator", "deploy", True),
            ("operator", "approve", False),
            ("admin", "grant_role", True),
        ],
    )
    def test_what_each_role_allows(self, role: str, action: str, allowed: bool) -> None:
        assert grants(role, action) is allowed


class TestResolvedActions:
    def test_a_grant_event_carries_the_actions_the_role_grants(self) -> None:
        [granted] = grant(role="reviewer").collect_events()
        assert granted.actions == ["read", "record_evidence", "review"]  # type: ignore[attr-defined]

    def test_an_admin_grant_carries_the_wildcard(self) -> None:
        assert grant(role="admin").actions == ["*"]

    def test_a_re_grant_carries_every_field_of_a_grant(self) -> None:
        binding = grant(resource_type="model_version", owner_team="nlp")
        binding.revoke(actor="root", reason="left")
        binding.grant_again(actor="rex", reason="back")
        again = binding.collect_events()[-1]
        assert isinstance(again, RoleBinding.Regranted)
        assert (again.subject, again.role, again.actions) == (
            "ana", "approver", ["approve", "deprecate", "read", "review"],
        )  # fmt: skip
        assert (again.resource_type, again.owner_team, again.granted_by) == (
            "model_version", "nlp", "rex",
        )  # fmt: skip
        assert again.role_binding_id == str(binding.id)
        assert (binding.active, binding.granted_by, binding.reason) == (True, "rex", "back")
