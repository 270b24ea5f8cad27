"""Domain errors as bus rejections: the stable code plus one FieldError per invalid field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from eventsourcing.domain import Aggregate
from pydantic import BaseModel

from llmops_events.envelope import FieldError
from llmops_runtime.commands import CommandRegistry, CommandRejected, HandlerContext
from prompt_service.domain import DomainError

TPayload = TypeVar("TPayload", bound=BaseModel)
HandlerFn = Callable[[TPayload, HandlerContext], Awaitable[Sequence[Aggregate]]]


def as_rejection(error: DomainError) -> CommandRejected:
    """The rejection a client sees: code, message and field errors under `payload.`."""
    field_errors = [
        FieldError(loc=f"payload.{name}", message=problem, type=error.code)
        for name, problem in error.field_errors.items()
    ]
    return CommandRejected(error.code, error.message, field_errors)


def command(
    registry: CommandRegistry, wire_type: str, payload_model: type[TPayload]
) -> Callable[[HandlerFn[TPayload]], HandlerFn[TPayload]]:
    """Register a handler whose domain errors become rejections with field errors."""

    def decorate(handler: HandlerFn[TPayload]) -> HandlerFn[TPayload]:
        async def rejecting(payload: TPayload, ctx: HandlerContext) -> Sequence[Aggregate]:
            try:
                return await handler(payload, ctx)
            except DomainError as error:
                raise as_rejection(error) from error

        registry.register(wire_type, payload_model, rejecting)
        return handler

    return decorate
