"""What each command of a service needs: a permission, declared in the service's definition.

A permission is `<service>.<action>`, optionally on a resource type and the resource's owner
team. Governance role bindings grant actions (service-independent words such as `approve`);
a binding scoped to a resource type or owner team grants them only there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

# owner_team(reads, payload) -> the owner team of the resource the command acts on (None:
# unknown, and then only unscoped or resource-type-scoped bindings can allow it).
OwnerTeam = Callable[[Any, BaseModel], Awaitable[str | None]]


@dataclass(frozen=True)
class Permission:
    """The action a command needs, on what kind of resource, and how to find its owner team."""

    action: str
    resource_type: str | None = None
    owner_team: OwnerTeam | None = None

    def named(self, service: str) -> str:
        """`<service>.<action>` (and the resource type), as a refusal names it."""
        where = f" on {self.resource_type}" if self.resource_type else ""
        return f"{service}.{self.action}{where}"


def from_payload(field: str) -> OwnerTeam:
    """An owner_team lookup reading a field of the command itself (e.g. a registration)."""

    async def owner_team(reads: Any, payload: BaseModel) -> str | None:
        value = getattr(payload, field, None)
        return value if isinstance(value, str) else None

    return owner_team


def _wire_name(contract: Any) -> str:
    name = getattr(contract, "WIRE_NAME", None)
    if not isinstance(name, str):
        raise TypeError(f"{contract!r} has no WIRE_NAME")
    return name


def permissions_by_wire_type(
    service: str, commands: Iterable[Any], declared: Mapping[Any, Permission]
) -> dict[str, Permission]:
    """The declared permissions by command wire type; every command must have one."""
    by_type = {_wire_name(contract): permission for contract, permission in declared.items()}
    missing = sorted(_wire_name(c) for c in commands if _wire_name(c) not in by_type)
    if missing:
        raise ValueError(f"{service}: commands without a declared permission: {missing}")
    return by_type
