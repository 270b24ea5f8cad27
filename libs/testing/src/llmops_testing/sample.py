"""A minimal aggregate for the runtime's own tests and benchmarks; it carries no business rule."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any, ClassVar
from uuid import UUID

import asyncpg
from eventsourcing.domain import Aggregate, event

from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.declaration import Projection
from llmops_runtime.relay.envelope import EventEnvelope


class Tally(Aggregate):
    """A named counter whose increments are events."""

    class Opened(Aggregate.Created):
        """A tally was opened."""

        wire_name: ClassVar[str] = "runtime_sample.tally.opened"
        name: str
        owner: UUID

    class Incremented(Aggregate.Event):
        """A tally was incremented."""

        wire_name: ClassVar[str] = "runtime_sample.tally.incremented"
        amount: int

    @event(Opened)
    def __init__(self, name: str, owner: UUID) -> None:
        self.name = name
        self.owner = owner
        self.total = 0

    @event(Incremented)
    def increment(self, amount: int) -> None:
        """Add amount to the total."""
        self.total += amount


OPENED = Tally.Opened.wire_name
INCREMENTED = Tally.Incremented.wire_name
POISON_AMOUNT = 13  # the sample read model refuses it, to exercise dead-lettering


async def create_tally_tables(conn: asyncpg.Connection, schema: str) -> None:
    """The sample read model: one row per tally."""
    await conn.execute(
        f"CREATE TABLE IF NOT EXISTS {checked_identifier(schema)}.tally_totals ("
        " tally_id uuid PRIMARY KEY, name text NOT NULL, total bigint NOT NULL,"
        " increments integer NOT NULL, updated_at timestamptz NOT NULL)"
    )


async def apply_tally_batch(
    conn: asyncpg.Connection, schema: str, envelopes: Sequence[EventEnvelope]
) -> None:
    """Apply tally events in order: one set-based statement per run of the same wire type."""
    s = checked_identifier(schema)
    for wire_type, run in groupby(envelopes, key=lambda e: e.wire_type):
        events = list(run)
        if wire_type == OPENED:
            await conn.execute(
                f"INSERT INTO {s}.tally_totals SELECT id, name, 0, 0, at"
                " FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS t(id, name, at)",
                [e.stream_id for e in events],
                [e.payload["name"] for e in events],
                [e.committed_at for e in events],
            )
        elif wire_type == INCREMENTED:
            if any(e.payload["amount"] == POISON_AMOUNT for e in events):
                raise ValueError(f"amount {POISON_AMOUNT} is refused by the sample read model")
            # Sum per tally first: UPDATE ... FROM applies only one source row per target row.
            sums: dict[UUID, list[Any]] = {}
            for e in events:
                entry = sums.setdefault(e.stream_id, [0, 0, e.committed_at])
                entry[0] += e.payload["amount"]
                entry[1] += 1
                entry[2] = max(entry[2], e.committed_at)
            await conn.execute(
                f"UPDATE {s}.tally_totals AS t SET total = t.total + u.amount,"
                " increments = t.increments + u.n, updated_at = u.at"
                " FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::timestamptz[])"
                " AS u(id, amount, n, at) WHERE t.tally_id = u.id",
                list(sums),
                [v[0] for v in sums.values()],
                [v[1] for v in sums.values()],
                [v[2] for v in sums.values()],
            )


def tally_projection(topic: str | None, name: str = "tally_totals") -> Projection:
    """The sample projection, fed by the own store (topic None) or by an events topic."""
    return Projection(
        name=name,
        topic=topic,
        create_tables=create_tally_tables,
        apply_batch=apply_tally_batch,
        tables=("tally_totals",),
    )
