"""The one place for permission checks, before a command's handler runs."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel

from llmops_runtime.auth.permissions import Permission
from llmops_runtime.auth.role_bindings import RoleBindings
from llmops_runtime.auth.tokens import Actor
from llmops_runtime.rejections import FORBIDDEN, CommandRejected


class ReadAuthorizer(Protocol):
    """Decides whether actor may read the service's HTTP API (its read models and history)."""

    async def authorize_read(self, actor: Actor) -> None:
        """Return when allowed; raise CommandRejected(FORBIDDEN) when not."""
        ...


class Authorizer(ReadAuthorizer, Protocol):
    """Decides whether actor may issue a command; raise CommandRejected("forbidden", ...) if not.

    Called after the token is verified and the payload validated, before the handler runs.
    """

    async def authorize(self, actor: Actor, wire_type: str, payload: BaseModel) -> None:
        """Return when allowed; raise CommandRejected(FORBIDDEN) when not."""
        ...


class AllowAll:
    """Allows every authenticated actor: for a service that declares no permissions (tests)."""

    async def authorize(self, actor: Actor, wire_type: str, payload: BaseModel) -> None:
        """Allow."""
        return None

    async def authorize_read(self, actor: Actor) -> None:
        """Allow."""
        return None


# A decision is reused for this long (a revoke is honoured within the projection lag plus
# this); the cache is bounded, oldest entries first out.
DECISION_TTL_S = 1.0
DECISION_CACHE_SIZE = 10_000
_Key = tuple[str, tuple[str, ...], str, str | None, str | None]
# Reading needs a binding granting this action, of any resource type or team scope.
READ_ACTION = "read"


class RoleBindingAuthorizer:
    """Allows a command when a governance role binding of the actor (or a team) grants it.

    Permissions are the service's declaration by command wire type; a command without one is
    refused. Bootstrap admins (configuration) are allowed everything.
    """

    def __init__(
        self,
        service: str,
        permissions: Mapping[str, Permission],
        bindings: RoleBindings,
        reads: Any,
        *,
        admins: frozenset[str] = frozenset(),
        ttl_s: float = DECISION_TTL_S,
    ) -> None:
        self.service = service
        self.permissions = dict(permissions)
        self.bindings = bindings
        self.reads = reads
        self.admins = admins
        self.ttl_s = ttl_s
        self._decided: OrderedDict[_Key, tuple[bool, float]] = OrderedDict()

    async def authorize(self, actor: Actor, wire_type: str, payload: BaseModel) -> None:
        """Return when allowed; CommandRejected(FORBIDDEN) naming the missing permission."""
        permission = self.permissions.get(wire_type)
        if permission is None:
            raise CommandRejected(FORBIDDEN, f"{wire_type} declares no permission: refused")
        if actor.name in self.admins:
            return
        owner = None
        if permission.owner_team is not None:
            owner = await permission.owner_team(self.reads, payload)
        key = (actor.name, actor.teams, permission.action, permission.resource_type, owner)
        if not await self._allowed(key):
            team = f" of team {owner}" if owner else ""
            raise CommandRejected(
                FORBIDDEN,
                f"{actor.name} lacks the permission {permission.named(self.service)}{team}"
                f" (needs a role granting {permission.action!r})",
            )

    async def authorize_read(self, actor: Actor) -> None:
        """Return when a binding of the actor (or a team) grants `read` here, in any scope."""
        if actor.name in self.admins:
            return
        key = (actor.name, actor.teams, READ_ACTION, "*", None)  # "*": in any scope
        if not await self._allowed(key, anywhere=True):
            raise CommandRejected(
                FORBIDDEN,
                f"{actor.name} lacks the permission {self.service}.read"
                " (needs a role granting 'read', e.g. viewer)",
            )

    async def _allowed(self, key: _Key, *, anywhere: bool = False) -> bool:
        now = time.monotonic()
        cached = self._decided.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        if anywhere:
            allowed = await self.bindings.grants_anywhere(key[0], key[1], key[2])
        else:
            allowed = await self.bindings.allows(*key)
        self._decided[key] = (allowed, now + self.ttl_s)
        self._decided.move_to_end(key)
        while len(self._decided) > DECISION_CACHE_SIZE:
            self._decided.popitem(last=False)
        return allowed
