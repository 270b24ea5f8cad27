"""What the batch decided for one record: a result to reply, or a dead letter."""

from __future__ import annotations

from dataclasses import dataclass

from llmops_events.envelope import CommandResult
from llmops_runtime.commands.intake import Incoming
from llmops_runtime.rejections import capped_field_errors, short_text


@dataclass(slots=True)
class Outcome:
    """The result for one record and whether it was answered from a stored result."""

    item: Incoming
    result: CommandResult
    replayed: bool = False
    new: bool = True  # False: not stored (no command id), or already stored


def rejected(command_id: str | None, code: str, message: str, item: Incoming) -> CommandResult:
    """A rejected result, with the (capped) field errors of the item's rejection if it has one."""
    field_errors = item.rejection.field_errors if item.rejection else []
    return CommandResult(
        command_id=command_id,
        status="rejected",
        code=short_text(code),
        message=short_text(message),
        field_errors=capped_field_errors(field_errors),
    )
