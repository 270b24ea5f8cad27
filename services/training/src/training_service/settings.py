"""The training service's own settings (`LLMOPS_TRAINING_*`)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# What the local scheduler runs when not configured: a Python interpreter.
DEFAULT_LOCAL_PROGRAMS = ("python", "python3", sys.executable)


class TrainingSettings(BaseSettings):
    """The local scheduler: whether it runs, where outputs go, how often it looks for work."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_TRAINING_", extra="ignore")

    local_scheduler: bool = True
    artifact_root: Path = Path(tempfile.gettempdir()) / "llmops-training-artifacts"
    poll_seconds: float = Field(default=1.0, gt=0, le=60)
    metric_batch_points: int = Field(default=2_000, ge=1, le=5_000)
    max_runtime_seconds: float = Field(default=86_400, gt=0)
    # The programs (a job's argv[0], exactly) a `local` job may run, as a JSON list: whoever
    # may submit a job runs it as the service's user, so an operator narrows this to the
    # training entrypoints of the host. Kubernetes jobs run in their own pods, unaffected.
    local_programs: list[str] = Field(
        default_factory=lambda: list(DEFAULT_LOCAL_PROGRAMS), max_length=50
    )
