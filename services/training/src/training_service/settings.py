"""The training service's own settings (`LLMOPS_TRAINING_*`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class TrainingSettings(BaseSettings):
    """The local scheduler: whether it runs, where outputs go, how often it looks for work."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_TRAINING_", extra="ignore")

    local_scheduler: bool = True
    artifact_root: Path = Path(tempfile.gettempdir()) / "llmops-training-artifacts"
    poll_seconds: float = Field(default=1.0, gt=0, le=60)
    metric_batch_points: int = Field(default=2_000, ge=1, le=5_000)
    max_runtime_seconds: float = Field(default=86_400, gt=0)
