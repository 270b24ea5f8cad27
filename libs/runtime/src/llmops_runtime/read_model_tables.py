"""A service's read-model DDL: one idempotent statement per table, created per projection.

Each service declares its tables once, with `{s}` standing for its schema:

    TABLES = ReadModelTables({"model_versions": "CREATE TABLE IF NOT EXISTS {s}.model_versions"})

and each projection creates (and a rebuild swaps) only the tables it owns:

    TABLES.projection("catalog_read_model", topic=None, apply=project, tables=("model_versions",))
"""

from __future__ import annotations

from collections.abc import Mapping

import asyncpg

from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.declaration import ApplyEvent, CreateTables, Projection
from llmops_runtime.projections.projector import Projector


class ReadModelTables:
    """The DDL of a service's read-model tables, by table name."""

    def __init__(self, ddl: Mapping[str, str]) -> None:
        self._ddl = dict(ddl)

    @property
    def names(self) -> tuple[str, ...]:
        """Every table, in declaration order."""
        return tuple(self._ddl)

    def creator(self, *tables: str) -> CreateTables:
        """create_tables(conn, schema) for the given tables, idempotent; ValueError if unknown."""
        unknown = set(tables) - set(self._ddl)
        if unknown:
            raise ValueError(f"unknown read model tables: {sorted(unknown)}")

        async def create_tables(conn: asyncpg.Connection, schema: str) -> None:
            s = checked_identifier(schema)
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")
            for table in tables:
                await conn.execute(self._ddl[table].format(s=s))

        return create_tables

    async def create_all(self, conn: asyncpg.Connection, schema: str) -> None:
        """Create every table if missing."""
        await self.creator(*self.names)(conn, schema)

    def projection(
        self,
        name: str,
        *,
        topic: str | None,
        tables: tuple[str, ...],
        apply: ApplyEvent | None = None,
        projector: Projector | None = None,
        topics: tuple[str, ...] = (),
    ) -> Projection:
        """A projection that owns `tables`: it creates them, and a rebuild of it swaps them.

        Give either `apply` (per event, untyped) or a typed `projector`; `topics` are more
        Kafka topics it reads besides `topic`.
        """
        if (apply is None) == (projector is None):
            raise ValueError(f"projection {name}: give exactly one of apply and projector")
        return Projection(
            name=name,
            topic=topic,
            create_tables=self.creator(*tables),
            apply=apply,
            apply_batch=None if projector is None else projector.apply_batch,
            tables=tables,
            topics=topics,
        )

    def own_events(self, name: str, projector: Projector) -> Projection:
        """The projection of the service's own events into every one of these tables."""
        return self.projection(name, topic=None, tables=self.names, projector=projector)
