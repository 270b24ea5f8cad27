"""Test helpers for a service's unit tests, without Kafka or PostgreSQL.

Handler wiring: the test double `InMemoryHandlerContext`. Event contracts: the `check_*`
functions, each one behaviour every service's domain events must show (see below).

`InMemoryHandlerContext` plays the command bus's part for one service's `CommandRegistry`:
it validates a payload against the registered model, calls the handler with itself as the
`HandlerContext`, turns a domain error into the `CommandRejected` the bus would send back
(`rejection_from`), and keeps the aggregates the handler returns so later commands can load
them. It checks the wiring (payload models, handlers, domain rules, rejection codes); the
event store, batching, concurrency and the bus itself are tested in llmops_runtime's own suite.

    ctx = InMemoryHandlerContext(build_registry(reads))
    [version] = await ctx.run("catalog.register_model_version", {...})
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("catalog.approve_model_version", {...})

The event-contract checks take a service's aggregates, event classes or emitted events and raise
AssertionError naming what breaks the contract; a service's test calls each from one test:

    def test_every_event_validates_against_its_contract(every_event):
        check_events_validate_against_their_contracts(every_event)
"""

from __future__ import annotations

import copy
import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from llmops_events.registry import EVENTS
from llmops_runtime.commands.handlers import CommandRegistry, RequireMixin
from llmops_runtime.rejections import rejection_from

TAggregate = TypeVar("TAggregate", bound=Aggregate)

# Attributes the eventsourcing library adds to every event; the envelope carries them.
LIBRARY_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})
# Base event classes an aggregate declares that are never emitted themselves.
ABSTRACT_EVENTS = frozenset({"Event", "Created"})


class InMemoryHandlerContext(RequireMixin):
    """A `HandlerContext` over aggregates kept in memory; `run` plays the bus's part.

    `saved` holds every aggregate a handler returned, by id (its pending events collected, as
    if appended). `load` returns a private deep copy, so a rejected command's changes never
    leak into the next, as with the real context.
    """

    def __init__(
        self, registry: CommandRegistry, actor: str = "alice", command_id: str = "cmd-1"
    ) -> None:
        self.registry = registry
        self.actor = actor
        self.command_id = command_id
        self.saved: dict[UUID, Aggregate] = {}

    async def load(self, aggregate_id: UUID, aggregate_type: type[TAggregate]) -> TAggregate | None:
        """A private copy of a saved aggregate, or None if none was saved under that id."""
        found = self.saved.get(aggregate_id)
        if found is None:
            return None
        if not isinstance(found, aggregate_type):
            raise TypeError(
                f"{aggregate_id} is a {type(found).__name__}, not {aggregate_type.__name__}"
            )
        return copy.deepcopy(found)

    async def run(self, wire_type: str, payload: dict[str, Any]) -> Sequence[Aggregate]:
        """Validate the payload, call the handler, keep what it returns.

        A domain error (anything with a `code`) is raised as the `CommandRejected` the bus
        would reply with; any other exception propagates unchanged.
        """
        registration = self.registry.get(wire_type)
        if registration is None:
            raise KeyError(f"no handler registered for {wire_type!r}")
        try:
            aggregates = await registration.handler(
                registration.payload_model.model_validate(payload), self
            )
        except Exception as error:
            rejection = rejection_from(error)
            if rejection is None:
                raise
            raise rejection from error
        for aggregate in aggregates:
            aggregate.collect_events()
            self.saved[aggregate.id] = aggregate
        return aggregates


def event_payload(event: object) -> dict[str, Any]:
    """The event's own fields, as its wire contract describes them (no library fields)."""
    return {k: v for k, v in vars(event).items() if k not in LIBRARY_FIELDS}


def declared_event_classes(
    aggregates: Iterable[type[Aggregate]], abstract_events: Collection[str] = ABSTRACT_EVENTS
) -> set[type]:
    """Every concrete event class the aggregates declare (abstract base events left out)."""
    return {
        value
        for aggregate in aggregates
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in abstract_events
    }


def check_event_classes_listed(
    aggregates: Iterable[type[Aggregate]],
    event_classes: Iterable[type],
    abstract_events: Collection[str] = ABSTRACT_EVENTS,
) -> None:
    """The service lists for the event store exactly the event classes its aggregates declare."""
    declared = declared_event_classes(aggregates, abstract_events)
    listed = set(event_classes)
    assert declared == listed, (
        f"declared but not listed: {_names(declared - listed)}; "
        f"listed but not declared: {_names(listed - declared)}"
    )


def check_registered_wire_name(event_class: type) -> None:
    """The event class names a wire name with a registered event contract."""
    wire_name = getattr(event_class, "wire_name", None)
    assert wire_name in EVENTS, f"{event_class.__qualname__}: no contract for {wire_name!r}"


def check_class_version_matches_contract(event_class: type) -> None:
    """The event class's `class_version` (1 if unset) is its contract's SCHEMA_VERSION."""
    contract = EVENTS[getattr(event_class, "wire_name", "")]
    class_version = getattr(event_class, "class_version", 1)
    assert class_version == contract.SCHEMA_VERSION, (
        f"{event_class.__qualname__}: class_version {class_version}, "
        f"contract {contract.WIRE_NAME} schema version {contract.SCHEMA_VERSION}"
    )


def check_every_event_class_emitted(
    events: Iterable[object], event_classes: Iterable[type]
) -> None:
    """A scenario's events include each of the event classes (and only those)."""
    emitted = {type(e) for e in events}
    expected = set(event_classes)
    assert emitted == expected, (
        f"not emitted: {_names(expected - emitted)}; unexpected: {_names(emitted - expected)}"
    )


def check_events_validate_against_their_contracts(
    events: Iterable[object], *, strict: bool | None = None
) -> None:
    """Each event's payload validates against its wire contract (pydantic raises if not)."""
    for event in events:
        EVENTS[getattr(event, "wire_name", "")].model_validate(event_payload(event), strict=strict)


def check_payloads_json_native(events: Iterable[object]) -> None:
    """Each event's payload survives a JSON round trip unchanged (plain JSON types only)."""
    for event in events:
        payload = event_payload(event)
        assert json.loads(json.dumps(payload)) == payload, f"{type(event).__qualname__}: {payload}"


def check_rebuilds_to(events: Iterable[Any], original: Aggregate) -> None:
    """Replaying the events from nothing rebuilds an aggregate equal to the original."""
    rebuilt = None
    for event in events:
        rebuilt = event.mutate(rebuilt)
    assert rebuilt == original, f"rebuilt {rebuilt!r} differs from {original!r}"


def _names(classes: Iterable[type]) -> list[str]:
    return sorted(c.__qualname__ for c in classes)


def concrete_event_classes(aggregates: Iterable[type[Aggregate]]) -> set[type]:
    """The event classes the aggregates emit: declared ones that no other declared one extends."""
    declared = declared_event_classes(aggregates)
    return {c for c in declared if not any(o is not c and issubclass(o, c) for o in declared)}


def check_scenario(
    events: Iterable[Any], aggregates: Iterable[type[Aggregate]], *, strict: bool | None = None
) -> None:
    """A scenario emits every concrete event class, each valid, JSON-native, naming its id."""
    events = list(events)
    check_every_event_class_emitted(events, concrete_event_classes(aggregates))
    check_events_validate_against_their_contracts(events, strict=strict)
    check_payloads_json_native(events)
    for event in events:
        ids = {str(v) for k, v in event_payload(event).items() if k.endswith("_id")}
        assert str(event.originator_id) in ids, f"{type(event).__qualname__} omits its id"
