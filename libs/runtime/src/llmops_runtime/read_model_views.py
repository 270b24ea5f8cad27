"""The list and lookup reads of one read-model table, declared once and bound per schema.

A service declares `TableReads(table, keyset, key=(...), where="($1::text IS NULL OR ...)")`
once; its views bind it to the pool and schema, then read `page(page, to_json, *filters)` (one
page in key order, the filters filling $1..$n), `all(*filters)` and `one(*key)` (a row or None).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.http.pagination import Keyset, PageRequest, fetch_page
from llmops_runtime.http.rows import ToJson


@dataclass(frozen=True)
class TableReads:
    """A table, its list's sort key and filters, and the columns that name one row.

    `filters` names the list's filters in the order of their $1..$n in `where`, each with its
    type: they become the query parameters of its list route (None ignores one).
    """

    table: str
    keyset: Keyset
    key: tuple[str, ...]
    where: str = "TRUE"
    columns: str = "*"
    filters: Mapping[str, type] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.filter_numbers() != set(range(1, len(self.filter_numbers()) + 1)):
            raise ValueError(f"{self.table}: where must number its filters $1..$n: {self.where}")
        if self.filters and len(self.filters) != len(self.filter_numbers()):
            raise ValueError(f"{self.table}: filters {list(self.filters)} for {self.where!r}")

    def filter_numbers(self) -> set[int]:
        """The $n placeholders of `where`."""
        return {int(n) for n in re.findall(r"\$(\d+)", self.where)}

    def check_filters(self, filters: tuple[Any, ...]) -> None:
        """TypeError unless there is one value for each $n of `where` (else they would shift)."""
        if len(filters) != len(self.filter_numbers()):
            raise TypeError(f"{self.table}: {len(filters)} filters for {self.where!r}")

    def bound(self, db: asyncpg.Pool, schema: str) -> TableReader:
        """These reads over the table in schema."""
        return TableReader(self, db, f"{checked_identifier(schema)}.{self.table}")


@dataclass(frozen=True)
class TableReader:
    """TableReads bound to a pool and a schema."""

    reads: TableReads
    db: asyncpg.Pool
    qualified: str

    async def page(self, page: PageRequest, to_json: ToJson, *filters: Any) -> dict[str, Any]:
        """One page in key order; filters fill $1..$n of `where`."""
        self.reads.check_filters(filters)
        return await fetch_page(
            self.db, page, self.reads.keyset, select=self.select(), where=self.reads.where,
            args=filters, to_json=to_json,
        )  # fmt: skip

    async def all(self, *filters: Any) -> list[asyncpg.Record]:
        """Every row the filters keep, in key order."""
        self.reads.check_filters(filters)
        query = f"{self.select()} WHERE {self.reads.where} ORDER BY {self.reads.keyset.order_by()}"
        return list(await self.db.fetch(query, *filters))

    async def one(self, *key: Any) -> asyncpg.Record | None:
        """The row with this key, or None."""
        match = " AND ".join(f"{c} = ${i}" for i, c in enumerate(self.reads.key, start=1))
        return await self.db.fetchrow(f"{self.select()} WHERE {match}", *key)

    async def one_json(self, to_json: ToJson, *key: Any) -> dict[str, Any] | None:
        """The row with this key as JSON, or None."""
        row = await self.one(*key)
        return None if row is None else to_json(row)

    def select(self) -> str:
        """SELECT of the table's columns."""
        return f"SELECT {self.reads.columns} FROM {self.qualified}"
