"""Item: the generated sample aggregate, one per unique name."""

from __future__ import annotations

from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_domain.errors import ValidationFailed
from llmops_events import cost as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:cost:item")


class Item(Aggregate):
    """A named item; its id derives from the name, so a name is registered once."""

    class Registered(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.CostItemRegistered.WIRE_NAME
        class_version: ClassVar[int] = contracts.CostItemRegistered.SCHEMA_VERSION
        item_id: str
        name: str
        registered_by: str

    def __init__(self, item_id: str, name: str, registered_by: str) -> None:
        self.name = name
        self.registered_by = registered_by

    @classmethod
    def id_for(cls, name: str) -> UUID:
        """The deterministic id of the item with this name."""
        return uuid5(NAMESPACE, name)

    @classmethod
    def register(cls, name: str, actor: str) -> Item:
        """A new item; a blank name is refused."""
        if not name.strip():
            raise ValidationFailed({"name": "must not be blank"})
        item_id = cls.id_for(name)
        return cls._create(
            cls.Registered, id=item_id, item_id=str(item_id), name=name, registered_by=actor
        )
