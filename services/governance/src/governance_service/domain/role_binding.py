"""RoleBinding: a role given to an actor or a team, optionally scoped; granted, then revoked."""

from __future__ import annotations

from typing import ClassVar, Literal, get_args
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from governance_service.domain.roles import ROLES, actions_of
from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import governance as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:governance:role_binding")

SubjectKind = Literal["actor", "team"]
SUBJECT_KINDS: tuple[str, ...] = get_args(SubjectKind)
MAX_NAME_CHARS = 200
MAX_REASON_CHARS = 2000


def _check(
    subject_kind: str, subject: str, role: str, resource_type: str | None, owner_team: str | None
) -> None:
    problems: dict[str, str] = {}
    if subject_kind not in SUBJECT_KINDS:
        problems["subject_kind"] = f"one of {', '.join(SUBJECT_KINDS)}"
    if not subject.strip() or len(subject) > MAX_NAME_CHARS:
        problems["subject"] = f"required, at most {MAX_NAME_CHARS} characters"
    if role not in ROLES:
        problems["role"] = f"one of {', '.join(ROLES)}"
    for name, value in (("resource_type", resource_type), ("owner_team", owner_team)):
        if value is not None and (not value.strip() or len(value) > MAX_NAME_CHARS):
            problems[name] = f"omit it, or 1-{MAX_NAME_CHARS} characters"
    if problems:
        raise ValidationFailed(problems)


def _check_why(actor: str, reason: str) -> None:
    problems: dict[str, str] = {}
    if not actor.strip():
        problems["actor"] = "required"
    if not reason.strip() or len(reason) > MAX_REASON_CHARS:
        problems["reason"] = f"required: every change of access records why (<= {MAX_REASON_CHARS})"
    if problems:
        raise ValidationFailed(problems)


class RoleBinding(Aggregate):
    """Who may do what, where: one (subject, role, scope); its id is derived from them."""

    class Granted(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.RoleBindingGranted.WIRE_NAME
        role_binding_id: str
        subject_kind: str
        subject: str
        role: str
        actions: list[str]
        resource_type: str | None
        owner_team: str | None
        granted_by: str
        reason: str

    class Revoked(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.RoleBindingRevoked.WIRE_NAME
        role_binding_id: str
        revoked_by: str
        reason: str

        def apply(self, aggregate: RoleBinding) -> None:
            aggregate.active = False

    class Regranted(Aggregate.Event):
        """A grant's full shape: the relay publishes it as `governance.role_binding.granted`."""

        wire_name: ClassVar[str] = contracts.RoleBindingRegranted.WIRE_NAME
        role_binding_id: str
        subject_kind: str
        subject: str
        role: str
        actions: list[str]
        resource_type: str | None
        owner_team: str | None
        granted_by: str
        reason: str

        def apply(self, aggregate: RoleBinding) -> None:
            aggregate.active = True
            aggregate.actions = list(self.actions)
            aggregate.granted_by = self.granted_by
            aggregate.reason = self.reason

    @staticmethod
    def create_id(
        subject_kind: str,
        subject: str,
        role: str,
        resource_type: str | None = None,
        owner_team: str | None = None,
    ) -> UUID:
        """One binding per subject, role and scope: a second grant is a concurrency conflict."""
        key = "/".join((subject_kind, subject, role, resource_type or "*", owner_team or "*"))
        return uuid5(NAMESPACE, key)

    def __init__(
        self,
        subject_kind: str,
        subject: str,
        role: str,
        actions: list[str],
        resource_type: str | None,
        owner_team: str | None,
        granted_by: str,
        reason: str,
        role_binding_id: str,
    ) -> None:
        self.subject_kind = subject_kind
        self.subject = subject
        self.role = role
        self.actions = list(actions)
        self.resource_type = resource_type
        self.owner_team = owner_team
        self.granted_by = granted_by
        self.reason = reason
        self.active = True

    @classmethod
    def grant(
        cls,
        *,
        subject_kind: str,
        subject: str,
        role: str,
        actor: str,
        reason: str,
        resource_type: str | None = None,
        owner_team: str | None = None,
    ) -> RoleBinding:
        """A new binding; refuses unknown roles, subjects and unbounded names."""
        _check(subject_kind, subject, role, resource_type, owner_team)
        _check_why(actor, reason)
        binding_id = cls.create_id(subject_kind, subject, role, resource_type, owner_team)
        return cls._create(
            cls.Granted,
            id=binding_id,
            role_binding_id=str(binding_id),
            subject_kind=subject_kind,
            subject=subject,
            role=role,
            actions=actions_of(role),
            resource_type=resource_type,
            owner_team=owner_team,
            granted_by=actor,
            reason=reason,
        )

    def revoke(self, *, actor: str, reason: str) -> None:
        """Withdraw the role; only an active binding can be revoked."""
        _check_why(actor, reason)
        if not self.active:
            raise InvalidTransition("revoke", "revoked", ["active"], subject="role binding")
        self.trigger_event(
            self.Revoked, role_binding_id=str(self.id), revoked_by=actor, reason=reason
        )

    def grant_again(self, *, actor: str, reason: str) -> None:
        """Give a revoked binding back; an active one is refused (nothing would change)."""
        _check_why(actor, reason)
        if self.active:
            raise InvalidTransition("grant", "active", ["revoked"], subject="role binding")
        self.trigger_event(
            self.Regranted,
            role_binding_id=str(self.id),
            subject_kind=self.subject_kind,
            subject=self.subject,
            role=self.role,
            actions=actions_of(self.role),
            resource_type=self.resource_type,
            owner_team=self.owner_team,
            granted_by=actor,
            reason=reason,
        )

    def covers(self, resource_type: str | None, owner_team: str | None) -> bool:
        """True when the binding's scope includes a resource of this type and owner team."""
        return (self.resource_type in (None, resource_type)) and (
            self.owner_team in (None, owner_team)
        )
