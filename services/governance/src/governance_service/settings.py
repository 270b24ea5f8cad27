"""The governance service's own settings (`LLMOPS_GOVERNANCE_*`)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MAX_BOOTSTRAP_ADMINS = 20
# An actor name as tokens carry it: no spaces or commas, bounded like every Name.
_ACTOR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:+-]{0,199}$")
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
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    @field_validator("bootstrap_admins")
    @classmethod
    def _valid_names(cls, names: list[str]) -> list[str]:
        bad = [n for n in names if not _ACTOR.match(n)]
        if bad:
            raise ValueError(f"not actor names (letters, digits, ._@:+-, <= 200): {bad[:3]}")
        return list(dict.fromkeys(names))

    @property
    def review_period(self) -> timedelta:
        """How long a policy stays in force without a review."""
        return timedelta(seconds=self.review_period_seconds)
