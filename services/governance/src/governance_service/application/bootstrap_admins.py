"""The only path to a first admin: the names in LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import structlog

from governance_service.domain import RoleBinding
from llmops_runtime.eventstore import ConcurrencyConflict, EventMetadata, EventStore

BOOTSTRAP_ACTOR = "system:bootstrap"
REASON = "bootstrap admin named in LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS"
log = structlog.get_logger("llmops.governance")


async def ensure_admin(store: EventStore, name: str) -> bool:
    """Make sure `name` holds an active, unscoped admin binding; True when this call made it."""
    binding_id = RoleBinding.create_id("actor", name, "admin")
    binding = await store.load(binding_id, aggregate_type=RoleBinding)
    if binding is None:
        binding = RoleBinding.grant(
            subject_kind="actor", subject=name, role="admin", actor=BOOTSTRAP_ACTOR, reason=REASON
        )
    elif binding.active:
        return False
    else:
        binding.grant_again(actor=BOOTSTRAP_ACTOR, reason=REASON)
    try:
        await store.save(binding, metadata=EventMetadata(actor=BOOTSTRAP_ACTOR))
    except ConcurrencyConflict:
        return False  # another replica (or a grant) got there first: the admin exists
    log.info("bootstrap_admin_granted", subject=name, role_binding_id=str(binding_id))
    return True


async def ensure_admins(store: EventStore, names: Sequence[str]) -> list[str]:
    """Ensure every configured admin; the names this call granted."""
    return [name for name in names if await ensure_admin(store, name)]


async def keep_admins(store: EventStore, names: Sequence[str]) -> None:
    """Ensure the admins once, then idle: the task stays up so readiness reports it running."""
    await ensure_admins(store, names)
    await asyncio.Event().wait()
