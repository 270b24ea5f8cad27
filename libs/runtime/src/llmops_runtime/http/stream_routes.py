"""GET of one event-sourced aggregate: now (its read-model row), as of a time, and its history."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic
from uuid import UUID

from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import TAggregate, load_as_of, stream_history
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import found


class StreamRoutes(Generic[TAggregate]):
    """`GET {path}/{id}[?as_of=]` and `GET {path}/{id}/history` of one kind of aggregate.

    `now(id)` reads the row of the read model as JSON (None: 404); with `as_of` the aggregate
    is rebuilt from the events committed until then and shown by `state`.
    """

    def __init__(
        self,
        store: EventStore,
        kind: type[TAggregate],
        what: str,
        *,
        now: Callable[[UUID], Awaitable[dict[str, Any] | None]],
        state: Callable[[TAggregate], dict[str, Any]],
    ) -> None:
        self._store, self._kind, self._what = store, kind, what
        self._now, self._state = now, state

    async def detail(self, id: UUID, as_of: str | None) -> dict[str, Any]:
        """The aggregate now, or as of a time; 404 if it is unknown (then)."""
        if as_of is not None:
            return self._state(await load_as_of(self._store, id, as_of, self._kind, self._what))
        return found(await self._now(id), f"no {self._what} {id}")

    def add_to(self, router: APIRouter, path: str) -> None:
        """Add both routes under path."""

        @router.get(path + "/{id}", summary=f"One {self._what}, now or as of a time")
        async def detail(id: UUID, as_of: str | None = None) -> dict[str, Any]:
            """The read model's row now, or the aggregate rebuilt as of a time."""
            return await self.detail(id, as_of)

        @router.get(path + "/{id}/history", summary=f"The events of one {self._what}")
        async def history(id: UUID, *, page: Page) -> dict[str, Any]:
            """A page of the events with actor, metadata and commit time."""
            return await stream_history(self._store, id, self._what, page)
