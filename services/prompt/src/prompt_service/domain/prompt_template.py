"""PromptTemplate: one version of a prompt; it goes live only past the prohibited-token filter."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import prompt as contracts
from prompt_service.domain.errors import ProhibitedTokens
from prompt_service.domain.prohibited_tokens import find_prohibited_tokens
from prompt_service.domain.template_rules import content_errors, validate_template

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:prompt:template")


def _tags(context_tags: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(tag.strip() for tag in context_tags))


class PromptTemplate(Aggregate):
    """A prompt template version: draft -> live -> retired (or draft -> retired)."""

    class Registered(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.PromptTemplateRegistered.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptTemplateRegistered.SCHEMA_VERSION
        prompt_template_id: str
        name: str
        version: str
        language: str
        content: str
        context_tags: list[str]
        registered_by: str

    class Revised(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptTemplateRevised.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptTemplateRevised.SCHEMA_VERSION
        prompt_template_id: str
        content: str
        context_tags: list[str]
        revised_by: str

        def apply(self, aggregate: PromptTemplate) -> None:
            aggregate.content = self.content
            aggregate.context_tags = list(self.context_tags)

    class WentLive(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptTemplateWentLive.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptTemplateWentLive.SCHEMA_VERSION
        prompt_template_id: str
        name: str
        version: str
        checked_token_count: int
        published_by: str

        def apply(self, aggregate: PromptTemplate) -> None:
            aggregate.status = "live"

    class Retired(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptTemplateRetired.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptTemplateRetired.SCHEMA_VERSION
        prompt_template_id: str
        retired_by: str
        reason: str

        def apply(self, aggregate: PromptTemplate) -> None:
            aggregate.status = "retired"

    def __init__(
        self, name: str, version: str, language: str, content: str, context_tags: list[str]
    ) -> None:
        self.name = name
        # `version` is the library's event counter, so the template's version lives here.
        self.version_label = version
        self.language = language
        self.content = content
        self.context_tags = list(context_tags)
        self.status = "draft"

    @classmethod
    def id_for(cls, name: str, version: str) -> UUID:
        """The deterministic id of (name, version): a duplicate collides at the store."""
        return uuid5(NAMESPACE, f"{name}|{version}")

    @classmethod
    def register(
        cls,
        *,
        name: str,
        version: str,
        language: str,
        content: str,
        context_tags: Sequence[str],
        actor: str,
    ) -> PromptTemplate:
        """Register a draft template version."""
        validate_template(
            name=name,
            version=version,
            language=language,
            content=content,
            context_tags=context_tags,
        )
        template_id = cls.id_for(name, version)
        return cls._create(
            cls.Registered,
            id=template_id,
            prompt_template_id=str(template_id),
            name=name,
            version=version,
            language=language,
            content=content,
            context_tags=_tags(context_tags),
            registered_by=actor,
        )

    def _require_status(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(action, self.status, allowed, subject="prompt template")

    def revise(self, *, content: str, context_tags: Sequence[str] | None, actor: str) -> None:
        """Replace a draft's content (and tags, if given); live versions are immutable."""
        self._require_status("revise", "draft")
        tags = self.context_tags if context_tags is None else _tags(context_tags)
        errors = content_errors(content, tags)
        if errors:
            raise ValidationFailed(errors)
        self.trigger_event(
            self.Revised,
            prompt_template_id=str(self.id),
            content=content,
            context_tags=tags,
            revised_by=actor,
        )

    def go_live(self, *, actor: str, prohibited_tokens: Collection[str]) -> None:
        """draft -> live if the content has none of `prohibited_tokens` (governance + defaults)."""
        self._require_status("make live", "draft")
        offending = find_prohibited_tokens(self.content, prohibited_tokens)
        if offending:
            raise ProhibitedTokens(offending)
        self.trigger_event(
            self.WentLive,
            prompt_template_id=str(self.id),
            name=self.name,
            version=self.version_label,
            checked_token_count=len(prohibited_tokens),
            published_by=actor,
        )

    def retire(self, *, actor: str, reason: str) -> None:
        """draft or live -> retired, with a reason."""
        self._require_status("retire", "draft", "live")
        if not reason.strip():
            raise ValidationFailed({"reason": "required"})
        self.trigger_event(
            self.Retired, prompt_template_id=str(self.id), retired_by=actor, reason=reason
        )
