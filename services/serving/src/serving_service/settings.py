"""The serving service's own settings (`LLMOPS_SERVING_*`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServingSettings(BaseSettings):
    """Which hosts routes may name, the observation bucket, when traffic degrades."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_SERVING_", extra="ignore")

    # The hosts an endpoint's route may name (the prober calls them): loopback by default.
    probe_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "::1"], max_length=100
    )
    bucket_seconds: int = Field(default=60, ge=1, le=3_600)
    degrade_min_requests: int = Field(default=20, ge=1, le=1_000_000)
