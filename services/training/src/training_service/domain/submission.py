"""Validation of a job submission: approved model and datasets, a runnable command."""

from collections.abc import Collection, Sequence

from llmops_domain.errors import ValidationFailed
from training_service.domain.errors import DatasetNotApproved, ModelNotApproved

# model_status: what the service learned from the catalog ("approved", "deprecated", or None).


def check_model(model_entry_id: str, model_status: str | None) -> None:
    """Refuse a base model the catalog has not approved, or has deprecated since."""
    if model_status == "approved":
        return
    known = "was deprecated" if model_status == "deprecated" else "is not approved"
    raise ModelNotApproved(
        f"model {model_entry_id} {known} in the catalog",
        details={"model_entry_id": model_entry_id, "status": model_status},
    )


def check_datasets(dataset_ids: Sequence[str], approved: Collection[str]) -> None:
    """Refuse dataset versions not known to be approved."""
    missing = [d for d in dataset_ids if d not in approved]
    if missing:
        raise DatasetNotApproved(
            f"dataset versions not approved: {', '.join(missing)}",
            details={"dataset_ids": missing},
        )


def check_shape(command: Sequence[str], job_type: str, gpu_count: int, owner_team: str) -> None:
    """Field errors: a blank entrypoint or owner team; distributed training without GPUs."""
    errors: dict[str, str] = {}
    if not command or not command[0].strip():
        errors["command"] = "the entrypoint (first argument) must not be blank"
    if job_type == "dist_train" and gpu_count < 1:
        errors["resource_profile.gpu_count"] = "dist_train needs at least one GPU"
    if not owner_team.strip():
        errors["owner_team"] = "required"
    if errors:
        raise ValidationFailed(errors)
