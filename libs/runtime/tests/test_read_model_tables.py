"""A service's read-model DDL: each projection creates only its own tables, in its schema."""

from __future__ import annotations

from typing import Any

import pytest

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables(
    {
        "a": "CREATE TABLE IF NOT EXISTS {s}.a (id int);",
        "b": "CREATE TABLE IF NOT EXISTS {s}.b (id int);",
    }
)


class RecordingConnection:
    def __init__(self) -> None:
        self.statements: list[str] = []

    async def execute(self, sql: str, *args: Any) -> None:
        self.statements.append(sql)


async def test_a_creator_makes_the_schema_then_only_its_tables() -> None:
    conn = RecordingConnection()
    await TABLES.creator("b")(conn, "svc")
    assert conn.statements == [
        "CREATE SCHEMA IF NOT EXISTS svc",
        "CREATE TABLE IF NOT EXISTS svc.b (id int);",
    ]


async def test_create_all_makes_every_table_in_order() -> None:
    conn = RecordingConnection()
    await TABLES.create_all(conn, "svc")
    assert conn.statements[1:] == [
        "CREATE TABLE IF NOT EXISTS svc.a (id int);",
        "CREATE TABLE IF NOT EXISTS svc.b (id int);",
    ]


def test_an_unknown_table_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown read model tables"):
        TABLES.creator("c")


async def test_an_unsafe_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="not a safe SQL identifier"):
        await TABLES.creator("a")(RecordingConnection(), "x; drop")


def test_a_projection_owns_and_creates_the_tables_it_names() -> None:
    async def apply(*_: Any) -> None:
        return None

    projection = TABLES.projection("p", topic=None, apply=apply, tables=("a",))
    assert (projection.name, projection.topic, projection.tables) == ("p", None, ("a",))
    assert projection.apply is apply
