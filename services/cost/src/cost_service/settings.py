"""The cost service's own settings (`LLMOPS_COST_*`)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CostSettings(BaseSettings):
    """How far a billed amount may differ from the priced one for a profile to finalize."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_COST_", extra="ignore")

    # Relative to the priced amount: 0.01 is 1 %.
    reconciliation_tolerance: Decimal = Field(default=Decimal("0.01"), ge=0, le=1)
