"""Contracts of the serving service: serving endpoints and their observations.

`serving.usage.recorded` is what the cost service prices: one event per endpoint and time
bucket of ingested request records, with the bucket's tokens and replica hours.
"""

from uuid import UUID

from pydantic import AwareDatetime, Field

from llmops_events.base import CommandContract, EventContract, Name

Environment = Name  # DEV, STG or PROD; the serving contracts narrow it.


class ServingUsageRecorded(EventContract):
    """An endpoint's usage in one time bucket [window_start, window_end): what cost prices."""

    WIRE_NAME = "serving.usage.recorded"
    serving_endpoint_id: UUID
    model_entry_id: UUID
    owner_team: Name
    environment: Environment
    window_start: AwareDatetime
    window_end: AwareDatetime
    requests: int = Field(ge=0)
    tokens_in: int = Field(ge=0)
    tokens_out: int = Field(ge=0)
    replica_hours: float = Field(ge=0)


EVENTS: tuple[type[EventContract], ...] = (ServingUsageRecorded,)
PUBLISHED: tuple[type[EventContract], ...] = EVENTS
COMMANDS: tuple[type[CommandContract], ...] = ()
