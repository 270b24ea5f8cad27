"""Validation of prompt template fields, collecting every field error at once."""

import re
from collections.abc import Sequence

from llmops_domain.errors import ValidationFailed

# No '|' so that name|version keys cannot collide.
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
# A BCP 47 language tag in its common shapes: en, en-US, pt-BR, zh-Hant-TW.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def content_errors(content: str, context_tags: Sequence[str]) -> dict[str, str]:
    """Field errors for empty content or blank context tags."""
    errors: dict[str, str] = {}
    if not content.strip():
        errors["content"] = "required"
    if any(not tag.strip() for tag in context_tags):
        errors["context_tags"] = "tags must be non-empty strings"
    return errors


def validate_template(
    *, name: str, version: str, language: str, content: str, context_tags: Sequence[str]
) -> None:
    """Raise ValidationFailed naming every field that breaks a template rule."""
    errors: dict[str, str] = {}
    if not name.strip() or name != name.strip():
        errors["name"] = "required, without surrounding whitespace"
    if not _VERSION.match(version):
        errors["version"] = "1-64 letters, digits, '.', '_', '+' or '-'"
    if not _LANGUAGE.match(language):
        errors["language"] = "a BCP 47 language tag such as en or pt-BR"
    errors |= content_errors(content, context_tags)
    if errors:
        raise ValidationFailed(errors)
