"""How the catalog service declares a projection to the host's projection runner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

Apply = Callable[[asyncpg.Connection, str, str, Mapping[str, Any], datetime], Awaitable[None]]
CreateTables = Callable[[asyncpg.Connection, str], Awaitable[None]]


@dataclass(frozen=True)
class ProjectionDeclaration:
    """A named read model fed by the service's own event store or by a Kafka events topic."""

    name: str
    # None: the service's own event store, tailed in commit order; else a topic to consume.
    topic: str | None
    create_tables: CreateTables
    apply: Apply
