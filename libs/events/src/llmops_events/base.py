"""Base classes of every wire contract: events (facts) and commands (orders)."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EventContract(BaseModel):
    """A fact published on `llmops.<svc>.events`; consumers ignore unknown fields."""

    # Ignoring unknown fields lets producers add optional fields without breaking consumers.
    model_config = ConfigDict(extra="ignore", frozen=True)

    WIRE_NAME: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1


class CommandContract(BaseModel):
    """An order sent on `llmops.<svc>.commands`; unknown fields are refused."""

    # Forbidding unknown fields turns a client's typo into a field error, not a silent no-op.
    model_config = ConfigDict(extra="forbid", frozen=True)

    WIRE_NAME: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1


Contract = EventContract | CommandContract
