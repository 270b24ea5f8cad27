"""The command audit every service publishes on its own events topic.

The runtime writes one `audit.commands.recorded` event per batch of commands a service
decided, in the same transaction as the batch's events, so the audit is hash-chained and
relayed like any event. The wire name is the same for every service (the topic and the
`service` field say which service decided); the governance service projects them, with the
domain events, into the organisation-wide audit log.
"""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from llmops_events.base import EventContract, Name, Names, Text

# accepted: the command took effect; rejected: it was refused on its merits;
# unauthorized: the actor was not authenticated or not allowed to issue it.
AuditResult = Literal["accepted", "rejected", "unauthorized"]
MAX_ENTRIES = 1_000


class AuditedCommand(BaseModel):
    """One decided command: who, what, on which resource, and how it ended."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    command_id: Name | None
    action: Name | None = Field(description="The command's wire type.")
    actor_id: Name | None
    actor_verified: bool
    result: AuditResult
    code: Name | None
    reason: Text | None
    resource_type: Name | None
    resource_id: Name | None
    # The wire types of the events an accepted command recorded, in order.
    events: Names = Field(default_factory=list)
    correlation_id: Name | None
    at: AwareDatetime


class CommandsAudited(EventContract):
    """The commands of one batch a service decided, in the order it decided them."""

    WIRE_NAME = "audit.commands.recorded"
    service: Name
    batch_id: UUID
    commands: list[AuditedCommand] = Field(max_length=MAX_ENTRIES)


EVENTS: tuple[type[EventContract], ...] = (CommandsAudited,)
