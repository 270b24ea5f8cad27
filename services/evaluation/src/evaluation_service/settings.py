"""The evaluation service's own settings (`LLMOPS_EVALUATION_*`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from evaluation_service.scoring.files import ReadLimits


class EvaluationSettings(BaseSettings):
    """The worker's bounds and pace."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_EVALUATION_", extra="ignore")

    # Each of a run's two files (snapshot, predictions) is read only up to this size.
    max_file_bytes: int = Field(default=16 * 1024 * 1024, ge=1, le=256 * 1024 * 1024)
    # A run's files are read only under these directories (a JSON list in the environment):
    # whoever may start a run must not make the worker read the host's other files.
    file_roots: list[Path] = Field(
        default_factory=lambda: [Path(tempfile.gettempdir())], max_length=20
    )
    # A run claimed this long ago and not finished is claimed again (its worker is gone).
    stale_after_s: float = Field(default=600.0, gt=0)
    poll_every_s: float = Field(default=1.0, gt=0)

    def read_limits(self) -> ReadLimits:
        """What the scoring worker may read."""
        return ReadLimits(self.max_file_bytes, tuple(self.file_roots))
