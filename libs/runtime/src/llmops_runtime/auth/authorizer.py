"""The one place for role checks; the governance service will provide the real Authorizer."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel

from llmops_runtime.auth.tokens import Actor


class Authorizer(Protocol):
    """Decides whether actor may issue a command; raise CommandRejected("forbidden", ...) if not.

    Called after the token is verified and the payload validated, before the handler runs.
    A service backs it with its local projection of governance role bindings.
    """

    async def authorize(self, actor: Actor, wire_type: str, payload: BaseModel) -> None:
        """Return when allowed; raise CommandRejected(FORBIDDEN) when not."""
        ...


class AllowAll:
    """Allows every authenticated actor: the default until governance role bindings exist."""

    async def authorize(self, actor: Actor, wire_type: str, payload: BaseModel) -> None:
        """Allow."""
        return None
