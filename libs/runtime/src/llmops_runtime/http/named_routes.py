"""GET of a row named by two path parameters (`name`, `key`) and of its stream's history.

For pointers such as a model's alias or a prompt's label: the row says where the pointer is
now, and the stream (its id derived from name and key) records every move.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import stream_history
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import ToJson, found
from llmops_runtime.read_model_views import TableReader


class NamedRoutes:
    """`GET {path}` (the row, 404 if none) and `GET {path}/history`; path names {name} and {key}.

    `what` names one row from both, e.g. "alias {key!r} of model {name!r}".
    """

    def __init__(
        self,
        store: EventStore,
        reader: TableReader,
        to_json: ToJson,
        *,
        stream_id: Callable[[str, str], UUID],
        what: str,
    ) -> None:
        self._store, self._reader, self._to_json = store, reader, to_json
        self._stream_id, self._what = stream_id, what

    def add_to(self, router: APIRouter, path: str) -> None:
        """Add both routes under path."""
        if "{name}" not in path or "{key}" not in path:
            raise ValueError(f"{path}: a named route's path has {{name}} and {{key}}")

        @router.get(path)
        async def detail(name: str, key: str) -> dict[str, Any]:
            """Where it points now."""
            row = await self._reader.one(name, key)
            return self._to_json(found(row, f"no {self._what.format(name=name, key=key)}"))

        @router.get(path + "/history")
        async def history(name: str, key: str, *, page: Page) -> dict[str, Any]:
            """A page of its moves with actor and commit time."""
            what = self._what.format(name=name, key=key)
            return await stream_history(self._store, self._stream_id(name, key), what, page)
