"""How a projection is declared: a name, a source, its tables, and how events change them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import asyncpg

from llmops_runtime.relay.envelope import EventEnvelope

# apply(conn, schema, wire_type, payload, committed_at): write to the tables in `schema`.
ApplyEvent = Callable[[asyncpg.Connection, str, str, Mapping[str, Any], datetime], Awaitable[None]]
# apply_batch(conn, schema, envelopes): the same for many events at once, in order.
ApplyBatch = Callable[[asyncpg.Connection, str, Sequence[EventEnvelope]], Awaitable[None]]
# create_tables(conn, schema): idempotent DDL of the projection's tables in `schema`.
CreateTables = Callable[[asyncpg.Connection, str], Awaitable[None]]


class ProjectionLike(Protocol):
    """What the runner needs; services may declare projections with their own dataclass."""

    @property
    def name(self) -> str: ...

    @property
    def topic(self) -> str | None: ...

    @property
    def create_tables(self) -> CreateTables: ...

    @property
    def apply(self) -> ApplyEvent | None: ...


@dataclass(frozen=True)
class Projection:
    """A read model fed by the own event store (topic None) or by Kafka events topics.

    `topic` is one topic; `topics` more of them (read together, tracked per topic-partition).
    `tables` names the tables the projection owns, so a rebuild of it alone can swap them;
    leave it empty only if a rebuild always covers every projection sharing create_tables.
    """

    name: str
    topic: str | None
    create_tables: CreateTables
    apply: ApplyEvent | None = None
    apply_batch: ApplyBatch | None = None
    tables: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


def source_topics(projection: ProjectionLike) -> tuple[str, ...]:
    """The Kafka topics a projection reads, in order; empty: it reads the own event store."""
    found = [] if projection.topic is None else [projection.topic]
    found += [t for t in getattr(projection, "topics", ()) or () if t not in found]
    return tuple(found)


def dispatch(handlers: Mapping[str, ApplyEvent]) -> ApplyEvent:
    """One apply function from handlers per wire type; other wire types are ignored."""

    async def apply(
        conn: asyncpg.Connection,
        schema: str,
        wire_type: str,
        payload: Mapping[str, Any],
        at: datetime,
    ) -> None:
        handler = handlers.get(wire_type)
        if handler is not None:
            await handler(conn, schema, wire_type, payload, at)

    return apply


def batch_applier(projection: ProjectionLike) -> ApplyBatch:
    """The projection's batch function, or one calling its per-event apply in order."""
    batch: ApplyBatch | None = getattr(projection, "apply_batch", None)
    if batch is not None:
        return batch
    apply = projection.apply
    if apply is None:
        raise ValueError(f"projection {projection.name} has neither apply nor apply_batch")

    async def apply_each(
        conn: asyncpg.Connection, schema: str, envelopes: Sequence[EventEnvelope]
    ) -> None:
        for env in envelopes:
            await apply(conn, schema, env.wire_type, env.payload, env.committed_at)

    return apply_each


def owned_tables(projection: ProjectionLike) -> tuple[str, ...]:
    """The tables a projection declared as its own (empty: not declared)."""
    return tuple(getattr(projection, "tables", ()) or ())
