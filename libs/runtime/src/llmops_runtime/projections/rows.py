"""Row writes of a projection by column name: no positional parameter lists in services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from llmops_runtime.eventstore.sqlnames import checked_identifier


class Rows:
    """Insert, update and count rows of tables in one schema, columns given by name."""

    def __init__(self, conn: asyncpg.Connection, schema: str) -> None:
        self.conn = conn
        self.schema = checked_identifier(schema)

    def _table(self, table: str) -> str:
        return f"{self.schema}.{checked_identifier(table)}"

    async def insert(
        self, table: str, values: Mapping[str, Any], *, on_conflict: tuple[str, ...] = ()
    ) -> None:
        """Insert one row; with `on_conflict` keys, an existing row is left as it is."""
        columns = [checked_identifier(c) for c in values]
        marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
        sql = f"INSERT INTO {self._table(table)} ({', '.join(columns)}) VALUES ({marks})"
        if on_conflict:
            keys = ", ".join(checked_identifier(k) for k in on_conflict)
            # Redelivery of an event must not fail or overwrite the row it created.
            sql += f" ON CONFLICT ({keys}) DO NOTHING"
        await self.conn.execute(sql, *values.values())

    async def upsert(self, table: str, values: Mapping[str, Any], *, key: tuple[str, ...]) -> None:
        """Insert one row, or replace the non-key columns of the row with the same key."""
        columns = [checked_identifier(c) for c in values]
        marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
        keys = [checked_identifier(k) for k in key]
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in keys)
        action = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
        await self.conn.execute(
            f"INSERT INTO {self._table(table)} ({', '.join(columns)}) VALUES ({marks})"
            f" ON CONFLICT ({', '.join(keys)}) {action}",
            *values.values(),
        )

    async def update(self, table: str, where: Mapping[str, Any], values: Mapping[str, Any]) -> int:
        """Set `values` on the rows matching every `where` column; return how many changed."""
        sets = [f"{checked_identifier(c)} = ${i}" for i, c in enumerate(values, start=1)]
        offset = len(sets)
        conds = [f"{checked_identifier(c)} = ${i}" for i, c in enumerate(where, start=offset + 1)]
        status = await self.conn.execute(
            f"UPDATE {self._table(table)} SET {', '.join(sets)} WHERE {' AND '.join(conds)}",
            *values.values(),
            *where.values(),
        )
        return int(status.split()[-1])

    async def delete(self, table: str, where: Mapping[str, Any]) -> int:
        """Delete the rows matching every `where` column; return how many went."""
        conds = [f"{checked_identifier(c)} = ${i}" for i, c in enumerate(where, start=1)]
        status = await self.conn.execute(
            f"DELETE FROM {self._table(table)} WHERE {' AND '.join(conds)}", *where.values()
        )
        return int(status.split()[-1])

    async def value(self, table: str, where: Mapping[str, Any], column: str) -> Any:
        """One column of the first row matching every `where` column; None if none matches."""
        conds = [f"{checked_identifier(c)} = ${i}" for i, c in enumerate(where, start=1)]
        return await self.conn.fetchval(
            f"SELECT {checked_identifier(column)} FROM {self._table(table)}"
            f" WHERE {' AND '.join(conds)}",
            *where.values(),
        )

    async def count(self, table: str, where: Mapping[str, Any]) -> int:
        """How many rows match every `where` column."""
        conds = [f"{checked_identifier(c)} = ${i}" for i, c in enumerate(where, start=1)]
        value = await self.conn.fetchval(
            f"SELECT count(*) FROM {self._table(table)} WHERE {' AND '.join(conds)}",
            *where.values(),
        )
        return int(value)
