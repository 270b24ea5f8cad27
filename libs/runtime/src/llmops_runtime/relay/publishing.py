"""Which stored events a service publishes, and how each is put on the wire.

The event store keeps every event (internal ones included) with the library's own fields.
Only the events a service declares published leave it: each is validated against its
contract and re-serialized from the contract, so library fields (`timestamp`,
`originator_id`, ...) never reach Kafka; a translator may map it to another public contract.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from llmops_runtime.eventstore.records import StoredRecord
from llmops_runtime.relay.envelope import EventEnvelope

# translate(event) -> the public contract instance to publish (identity by default).
Translator = Callable[[Any], BaseModel]


def _identity(event: Any) -> BaseModel:
    return event  # type: ignore[no-any-return]


def _wire_name(contract: type[BaseModel]) -> str:
    wire_type = getattr(contract, "WIRE_NAME", None)
    if not isinstance(wire_type, str):
        raise TypeError(f"{contract.__name__} has no WIRE_NAME")
    return wire_type


class Publication:
    """The published event contracts of one service, each with its translator."""

    def __init__(
        self,
        published: Iterable[type[BaseModel]],
        translators: Mapping[type[BaseModel], Translator] | None = None,
    ) -> None:
        self._by_type: dict[str, tuple[type[BaseModel], Translator]] = {}
        for contract in published:
            self._by_type[_wire_name(contract)] = (contract, _identity)
        for contract, translate in (translators or {}).items():
            if _wire_name(contract) not in self._by_type:
                raise ValueError(f"translator for {contract.__name__}, which is not published")
            self._by_type[_wire_name(contract)] = (contract, translate)

    def wire_types(self) -> list[str]:
        """The stored wire types that are published."""
        return sorted(self._by_type)

    def envelope(self, env: EventEnvelope) -> EventEnvelope | None:
        """The envelope to publish for a stored one, or None for an internal event."""
        entry = self._by_type.get(env.wire_type)
        if entry is None:
            return None
        contract, translate = entry
        public = translate(contract.model_validate(env.payload))
        return dataclasses.replace(
            env,
            wire_type=_wire_name(type(public)),
            schema_version=int(getattr(public, "SCHEMA_VERSION", env.schema_version)),
            payload=public.model_dump(mode="json"),
        )

    def envelopes(self, records: Sequence[StoredRecord]) -> list[EventEnvelope]:
        """The published envelopes of a batch of stored records, in commit order."""
        found = (self.envelope(EventEnvelope.from_record(r)) for r in records)
        return [env for env in found if env is not None]


def publish_everything(records: Sequence[StoredRecord]) -> list[EventEnvelope]:
    """Every stored record as it was stored (minus library internals): no declaration given."""
    return [EventEnvelope.from_record(r) for r in records]
