"""Roles and the permissions each grants: the vocabulary of the governance service."""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["viewer", "submitter", "reviewer", "approver", "operator", "admin"]
ROLES: tuple[str, ...] = get_args(Role)

# A permission is `<service>.<action>`; `*` stands for any service. Services declare which
# permission each command needs; a role grants the actions below on every service it scopes.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "submitter": frozenset({"read", "register", "submit", "amend"}),
    "reviewer": frozenset({"read", "review", "record_evidence"}),
    "approver": frozenset({"read", "review", "approve", "deprecate"}),
    "operator": frozenset({"read", "deploy", "operate", "run"}),
    "admin": frozenset({"*"}),
}


def grants(role: str, action: str) -> bool:
    """True when role allows action (admin allows everything)."""
    actions = ROLE_ACTIONS.get(role, frozenset())
    return "*" in actions or action in actions


def actions_of(role: str) -> list[str]:
    """The actions a role grants, sorted, as events carry them (admin: ["*"])."""
    return sorted(ROLE_ACTIONS[role])
