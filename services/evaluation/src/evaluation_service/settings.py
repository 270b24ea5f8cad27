"""The evaluation service's own settings (`LLMOPS_EVALUATION_*`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EvaluationSettings(BaseSettings):
    """The worker's bounds and pace."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_EVALUATION_", extra="ignore")

    # Each of a run's two files (snapshot, predictions) is read only up to this size.
    max_file_bytes: int = Field(default=16 * 1024 * 1024, ge=1, le=256 * 1024 * 1024)
    # A run claimed this long ago and not finished is claimed again (its worker is gone).
    stale_after_s: float = Field(default=600.0, gt=0)
    poll_every_s: float = Field(default=1.0, gt=0)
