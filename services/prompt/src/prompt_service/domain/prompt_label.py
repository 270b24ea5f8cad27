"""PromptLabel: a movable name (production, staging ...) for one live version of a prompt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import prompt as contracts
from prompt_service.domain.errors import TargetNotLive

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:prompt:label")

# As in Langfuse: lowercase letters, digits, '_', '-' and '.'; 'latest' is managed there.
_LABEL = re.compile(r"^[a-z0-9_.-]{1,36}$")


@dataclass(frozen=True)
class LabelTarget:
    """What the handler knows of the template version a label should point at."""

    prompt_template_id: str
    name: str
    status: str


def ensure_label_name(label: str) -> None:
    """Refuse a label name that is malformed or reserved."""
    if not _LABEL.match(label):
        raise ValidationFailed({"label": "1-36 lowercase letters, digits, '_', '-' or '.'"})
    if label == "latest":
        raise ValidationFailed({"label": "'latest' is reserved"})


def ensure_label_target(name: str, target: LabelTarget) -> None:
    """Refuse a target that is not a live version of prompt `name`."""
    if target.name != name:
        raise ValidationFailed({"prompt_template_id": f"not a version of prompt {name!r}"})
    if target.status != "live":
        # Labels are what serving resolves, so they only reach content that passed the filter.
        raise TargetNotLive(
            f"a label points only at a live version; this one is {target.status}",
            field_errors={"prompt_template_id": f"version is {target.status}, not live"},
            details={"status": target.status},
        )


class PromptLabel(Aggregate):
    """A label of a prompt name; moving it is one event on this one aggregate."""

    class Assigned(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.PromptLabelAssigned.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptLabelAssigned.SCHEMA_VERSION
        prompt_label_id: str
        name: str
        label: str
        prompt_template_id: str
        assigned_by: str

    class Moved(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptLabelMoved.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptLabelMoved.SCHEMA_VERSION
        prompt_label_id: str
        name: str
        label: str
        previous_prompt_template_id: str | None
        prompt_template_id: str
        moved_by: str

        def apply(self, aggregate: PromptLabel) -> None:
            aggregate.prompt_template_id = self.prompt_template_id

    class Removed(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptLabelRemoved.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptLabelRemoved.SCHEMA_VERSION
        prompt_label_id: str
        name: str
        label: str
        previous_prompt_template_id: str
        removed_by: str

        def apply(self, aggregate: PromptLabel) -> None:
            aggregate.prompt_template_id = None

    def __init__(self, name: str, label: str, prompt_template_id: str) -> None:
        self.name = name
        self.label = label
        self.prompt_template_id: str | None = prompt_template_id

    @classmethod
    def id_for(cls, name: str, label: str) -> UUID:
        """The deterministic id of label `label` of prompt `name`."""
        return uuid5(NAMESPACE, f"{name}|{label}")

    @classmethod
    def assign(cls, *, name: str, label: str, target: LabelTarget, actor: str) -> PromptLabel:
        """Create the label, pointing at a live version of `name`."""
        ensure_label_name(label)
        ensure_label_target(name, target)
        label_id = cls.id_for(name, label)
        return cls._create(
            cls.Assigned,
            id=label_id,
            prompt_label_id=str(label_id),
            name=name,
            label=label,
            prompt_template_id=target.prompt_template_id,
            assigned_by=actor,
        )

    def move_to(self, *, target: LabelTarget, actor: str) -> None:
        """Point the label at another live version; already pointing there is a no-op."""
        ensure_label_target(self.name, target)
        if target.prompt_template_id == self.prompt_template_id:
            return
        self.trigger_event(
            self.Moved,
            prompt_label_id=str(self.id),
            name=self.name,
            label=self.label,
            previous_prompt_template_id=self.prompt_template_id,
            prompt_template_id=target.prompt_template_id,
            moved_by=actor,
        )

    def remove(self, *, actor: str) -> None:
        """Stop pointing at any version; removing a removed label is refused."""
        if self.prompt_template_id is None:
            raise InvalidTransition("remove", "removed", ["assigned"], subject="prompt label")
        self.trigger_event(
            self.Removed,
            prompt_label_id=str(self.id),
            name=self.name,
            label=self.label,
            previous_prompt_template_id=self.prompt_template_id,
            removed_by=actor,
        )
