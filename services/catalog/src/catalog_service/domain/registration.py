"""Validation of a model version registration, collecting every field error at once."""

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal, get_args

from catalog_service.domain.semver import is_semver
from llmops_domain.errors import ValidationFailed

ModelType = Literal["base", "fine-tuned", "external"]
MODEL_TYPES: tuple[str, ...] = get_args(ModelType)

# The model card sections the spec makes mandatory.
REQUIRED_METADATA = ("purpose", "scope", "contact", "licensing")


def _is_blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def metadata_errors(metadata: Mapping[str, Any]) -> dict[str, str]:
    """Field errors for model card sections that are missing or empty."""
    return {
        f"metadata.{key}": "required, a non-empty string"
        for key in REQUIRED_METADATA
        if _is_blank(metadata.get(key))
    }


def lineage_errors(
    dataset_ids: Sequence[str], known_dataset_ids: Collection[str]
) -> dict[str, str]:
    """Field errors for lineage dataset ids this service has never seen a version of."""
    unknown = [d for d in dataset_ids if d not in known_dataset_ids]
    if not unknown:
        return {}
    return {"lineage.dataset_ids": f"unknown dataset versions: {', '.join(unknown)}"}


def training_job_errors(training_job_id: str | None, succeeded: bool) -> dict[str, str]:
    """A field error when the lineage names a training job not known to have succeeded."""
    if training_job_id is None or succeeded:
        return {}
    return {"lineage.training_job_id": f"unknown or unsucceeded training job: {training_job_id}"}


def validate_registration(
    *,
    name: str,
    version: str,
    type: str,
    owner_team: str,
    metadata: Mapping[str, Any],
    storage_uri: str | None,
    lineage_dataset_ids: Sequence[str],
    known_dataset_ids: Collection[str],
    training_job_id: str | None = None,
    training_job_succeeded: bool = False,
) -> None:
    """Raise ValidationFailed naming every field that breaks a registration rule."""
    errors: dict[str, str] = {}
    if _is_blank(name) or name != name.strip():
        errors["name"] = "required, without surrounding whitespace"
    if not is_semver(version):
        errors["version"] = f"{version!r} is not a semantic version such as 1.0.0"
    if type not in MODEL_TYPES:
        errors["type"] = f"must be one of {', '.join(MODEL_TYPES)}"
    if _is_blank(owner_team):
        errors["owner_team"] = "required"
    if storage_uri is not None and "://" not in storage_uri:
        errors["storage_uri"] = "must be a URI such as s3://models/name/1.0.0/"
    errors |= metadata_errors(metadata)
    errors |= lineage_errors(lineage_dataset_ids, known_dataset_ids)
    errors |= training_job_errors(training_job_id, training_job_succeeded)
    if errors:
        raise ValidationFailed(errors)
