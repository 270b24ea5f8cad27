"""An aggregate rebuilt from the event store (`?as_of=`) as the JSON of its detail endpoint."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate


def plain(value: Any) -> Any:
    """A value as JSON takes it: ids and times as strings, anything else unchanged."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def state_json(
    aggregate: Aggregate, id_key: str, attributes: str, **renamed: str
) -> dict[str, Any]:
    """The aggregate's id under id_key, its attributes (space-separated names), and its version.

    `renamed` maps a JSON key to the attribute it shows (`version="version_label"`); the stream
    version is `stream_version`.
    """
    names = {name: name for name in attributes.split()} | renamed
    item = {key: plain(getattr(aggregate, attribute)) for key, attribute in names.items()}
    return {id_key: str(aggregate.id), **item, "stream_version": aggregate.version}
