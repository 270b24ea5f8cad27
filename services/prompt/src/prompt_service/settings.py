"""The prompt service's own settings (`LLMOPS_PROMPT_*`)."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class PromptSettings(BaseSettings):
    """`LLMOPS_PROMPT_PROHIBITED_TOKENS`: the default list, JSON or comma-separated."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_PROMPT_", extra="ignore")

    # NoDecode so that a plain comma-separated value is accepted as well as a JSON list.
    prohibited_tokens: Annotated[list[str], NoDecode] = []

    @field_validator("prohibited_tokens", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [token.strip() for token in text.split(",") if token.strip()]
        return value
