"""The governance service's own settings (`LLMOPS_GOVERNANCE_*`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from llmops_runtime.auth.bootstrap_admins import MAX_ADMINS as MAX_BOOTSTRAP_ADMINS
from llmops_runtime.auth.bootstrap_admins import bootstrap_admins

NINETY_DAYS_S = 90 * 24 * 3600.0


class GovernanceSettings(BaseSettings):
    """Bootstrap admins and the review clock; read once by the bootstrap."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_GOVERNANCE_", extra="ignore")

    # The only path to a first admin: comma-separated actor names, at most 20.
    bootstrap_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, max_length=MAX_BOOTSTRAP_ADMINS
    )
    review_check_seconds: float = Field(default=60.0, gt=0, le=86_400)
    review_period_seconds: float = Field(default=NINETY_DAYS_S, gt=0)

    @field_validator("bootstrap_admins", mode="before")
    @classmethod
    def _parsed(cls, value: object) -> object:
        # The same parsing and bounds as every enforcing service applies to the variable.
        if isinstance(value, str):
            return sorted(bootstrap_admins(value))
        if isinstance(value, list) and all(isinstance(n, str) for n in value):
            return sorted(bootstrap_admins(",".join(value)))
        return value

    @property
    def review_period(self) -> timedelta:
        """How long a policy stays in force without a review."""
        return timedelta(seconds=self.review_period_seconds)
