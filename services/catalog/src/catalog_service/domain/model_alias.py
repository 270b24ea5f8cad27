"""ModelAlias: a movable name (champion, production ...) for one approved version of a model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from catalog_service.domain.errors import AliasTargetNotApproved
from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import catalog as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:catalog:model_alias")

# As in MLflow: letters, digits, '_' and '-'; 'latest' and 'v<digits>' are reserved.
_ALIAS = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_RESERVED = re.compile(r"^(latest|v\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class AliasTarget:
    """What the handler knows of the version an alias should point at."""

    model_version_id: str
    name: str
    status: str


def ensure_alias_name(alias: str) -> None:
    """Refuse an alias name that is malformed or reserved."""
    if not _ALIAS.match(alias):
        raise ValidationFailed({"alias": "1-64 letters, digits, '_' or '-'"})
    if _RESERVED.match(alias):
        raise ValidationFailed({"alias": f"{alias!r} is reserved"})


def ensure_alias_target(name: str, target: AliasTarget) -> None:
    """Refuse a target that is not an approved version of model `name`."""
    if target.name != name:
        raise ValidationFailed({"model_version_id": f"not a version of model {name!r}"})
    if target.status != "approved":
        raise AliasTargetNotApproved(
            f"an alias points only at an approved version; this one is {target.status}",
            field_errors={"model_version_id": f"version is {target.status}, not approved"},
            details={"status": target.status},
        )


class ModelAlias(Aggregate):
    """An alias of a model name; moving it is one event on this one aggregate."""

    class Assigned(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.ModelAliasAssigned.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelAliasAssigned.SCHEMA_VERSION
        model_alias_id: str
        name: str
        alias: str
        model_version_id: str
        assigned_by: str

    class Moved(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ModelAliasMoved.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelAliasMoved.SCHEMA_VERSION
        model_alias_id: str
        name: str
        alias: str
        previous_model_version_id: str | None
        model_version_id: str
        moved_by: str

        def apply(self, aggregate: ModelAlias) -> None:
            aggregate.model_version_id = self.model_version_id

    class Removed(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ModelAliasRemoved.WIRE_NAME
        class_version: ClassVar[int] = contracts.ModelAliasRemoved.SCHEMA_VERSION
        model_alias_id: str
        name: str
        alias: str
        previous_model_version_id: str
        removed_by: str

        def apply(self, aggregate: ModelAlias) -> None:
            aggregate.model_version_id = None

    def __init__(self, name: str, alias: str, model_version_id: str) -> None:
        self.name = name
        self.alias = alias
        self.model_version_id: str | None = model_version_id

    @classmethod
    def id_for(cls, name: str, alias: str) -> UUID:
        """The deterministic id of alias `alias` of model `name`."""
        return uuid5(NAMESPACE, f"{name}|{alias}")

    @classmethod
    def assign(cls, *, name: str, alias: str, target: AliasTarget, actor: str) -> ModelAlias:
        """Create the alias, pointing at an approved version of `name`."""
        ensure_alias_name(alias)
        ensure_alias_target(name, target)
        alias_id = cls.id_for(name, alias)
        return cls._create(
            cls.Assigned,
            id=alias_id,
            model_alias_id=str(alias_id),
            name=name,
            alias=alias,
            model_version_id=target.model_version_id,
            assigned_by=actor,
        )

    def move_to(self, *, target: AliasTarget, actor: str) -> None:
        """Point the alias at another approved version; already pointing there is a no-op."""
        ensure_alias_target(self.name, target)
        if target.model_version_id == self.model_version_id:
            return
        self.trigger_event(
            self.Moved,
            model_alias_id=str(self.id),
            name=self.name,
            alias=self.alias,
            previous_model_version_id=self.model_version_id,
            model_version_id=target.model_version_id,
            moved_by=actor,
        )

    def remove(self, *, actor: str) -> None:
        """Stop pointing at any version; removing a removed alias is refused."""
        if self.model_version_id is None:
            raise InvalidTransition("remove", "removed", ["assigned"], subject="model alias")
        self.trigger_event(
            self.Removed,
            model_alias_id=str(self.id),
            name=self.name,
            alias=self.alias,
            previous_model_version_id=self.model_version_id,
            removed_by=actor,
        )
