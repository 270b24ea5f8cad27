"""Base classes of every wire contract: events (facts) and commands (orders)."""

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field


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


# Documented maximum lengths of free-text strings, in characters. They keep every event
# envelope below the events topics' 1 MiB record limit for any text of up to 3 UTF-8 bytes
# per character (the largest event, dataset.version.approved, carries three long texts);
# text beyond that is refused at append as payload_too_large.
NAME_MAX_CHARS = 200
URI_MAX_CHARS = 2_000
TEXT_MAX_CHARS = 100_000
LIST_MAX_ITEMS = 1_000

Name = Annotated[str, Field(max_length=NAME_MAX_CHARS)]
"""An identifier, name, version, label or actor: at most NAME_MAX_CHARS characters."""
Uri = Annotated[str, Field(max_length=URI_MAX_CHARS)]
"""A storage URI: at most URI_MAX_CHARS characters."""
Text = Annotated[str, Field(max_length=TEXT_MAX_CHARS)]
"""A description, change log, reason, note or template content: at most TEXT_MAX_CHARS."""
Names = Annotated[list[Name], Field(max_length=LIST_MAX_ITEMS)]
"""A list of at most LIST_MAX_ITEMS names (tags, tokens)."""
