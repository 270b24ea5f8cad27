"""The command bus contracts: the envelope around every command and the result replied to it."""

from typing import Any, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

# Ids become primary keys and Kafka headers: bounded and plain (the bus checks them first).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,199}$"


class EnvelopeContract(BaseModel):
    """Base of the bus contracts; unknown fields are ignored so the envelope can grow."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    WIRE_NAME: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1


class CommandEnvelope(EnvelopeContract):
    """One command on `llmops.<svc>.commands`: who orders what, and where to reply."""

    WIRE_NAME = "bus.command_envelope"
    command_id: str = Field(
        min_length=1, max_length=200, pattern=ID_PATTERN, description="Idempotency key."
    )
    type: str = Field(min_length=1, max_length=200, description="Wire name of the command.")
    schema_version: int = Field(default=1, ge=1)
    issued_at: AwareDatetime
    actor_token: str | None = Field(
        default=None, max_length=32768, description="Signed JWT naming the actor."
    )
    correlation_id: str = Field(min_length=1, max_length=200, pattern=ID_PATTERN)
    reply_topic: str | None = Field(default=None, max_length=249)
    traceparent: str | None = Field(default=None, max_length=55, description="W3C trace context.")
    tracestate: str | None = Field(default=None, max_length=512)
    payload: dict[str, Any]


class FieldError(EnvelopeContract):
    """One invalid field of a rejected command."""

    WIRE_NAME = "bus.field_error"
    loc: str = Field(description="Dotted path of the field, e.g. payload.name.")
    message: str
    type: str = Field(default="invalid", description="Machine-readable kind of error.")


class CommandResult(EnvelopeContract):
    """The outcome of a command: accepted with its new events, or rejected with a stable code."""

    WIRE_NAME = "bus.command_result"
    command_id: str | None = None
    status: Literal["accepted", "rejected"]
    aggregate_id: str | None = None
    new_version: int | None = None
    event_ids: list[str] = Field(default_factory=list)
    code: str | None = Field(default=None, description="Stable error code of a rejection.")
    message: str | None = Field(default=None, description="Explanation for people.")
    field_errors: list[FieldError] = Field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """True when the command took effect."""
        return self.status == "accepted"


ENVELOPES: tuple[type[EnvelopeContract], ...] = (CommandEnvelope, CommandResult)
