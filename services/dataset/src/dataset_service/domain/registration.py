"""Validation of a dataset version registration, collecting every field error at once."""

import re

from llmops_domain.errors import ValidationFailed

# No '|' so that name|version keys cannot collide; dots, dashes and '+' for semver-like tags.
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


def _is_blank(value: str | None) -> bool:
    return value is None or not value.strip()


def lineage_errors(
    previous_version: str | None, diff_summary: str | None, latest_known_version: str | None
) -> dict[str, str]:
    """Field errors unless a new version references the latest known one with a diff summary."""
    if latest_known_version is None:
        if previous_version is not None:
            return {"previous_version": "no prior version of this dataset is known"}
        return {}
    errors: dict[str, str] = {}
    if previous_version != latest_known_version:
        errors["previous_version"] = f"must reference the prior version {latest_known_version!r}"
    if _is_blank(diff_summary):
        errors["diff_summary"] = f"required: summarize the changes since {latest_known_version!r}"
    return errors


def validate_registration(
    *,
    name: str,
    version: str,
    storage_uri: str,
    owner_team: str,
    previous_version: str | None,
    diff_summary: str | None,
    latest_known_version: str | None,
) -> None:
    """Raise ValidationFailed naming every field that breaks a registration rule."""
    errors: dict[str, str] = {}
    if _is_blank(name) or name != name.strip():
        errors["name"] = "required, without surrounding whitespace"
    if not _VERSION.match(version):
        errors["version"] = "1-64 letters, digits, '.', '_', '+' or '-'"
    if "://" not in storage_uri:
        errors["storage_uri"] = "must be a URI such as s3://datasets/name/version/"
    if _is_blank(owner_team):
        errors["owner_team"] = "required"
    errors |= lineage_errors(previous_version, diff_summary, latest_known_version)
    if errors:
        raise ValidationFailed(errors)
