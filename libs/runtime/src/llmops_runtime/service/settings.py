"""A service process's settings: `LLMOPS_<SVC>_*`, with the stack's two shared endpoints."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Endpoints and the HTTP listener; read with the service's own prefix."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = Field(validation_alias=AliasChoices("database_url", "DATABASE_URL"))
    kafka_bootstrap_servers: str = Field(
        validation_alias=AliasChoices("kafka_bootstrap_servers", "KAFKA_BOOTSTRAP_SERVERS")
    )
    http_host: str = "127.0.0.1"
    http_port: int = 0
    pool_min_size: int = 2
    pool_max_size: int = 20
    # No statement of the service waits on the database longer than this (asyncpg raises).
    pool_command_timeout_s: float = 30.0


def settings_for(service: str, **overrides: object) -> ServiceSettings:
    """Settings from `LLMOPS_<SVC>_HTTP_PORT` etc.; `DATABASE_URL`/`KAFKA_BOOTSTRAP_SERVERS`."""
    prefixed = type(
        f"{service.title()}Settings",
        (ServiceSettings,),
        {
            "model_config": SettingsConfigDict(
                env_prefix=f"LLMOPS_{service.upper()}_", extra="ignore"
            )
        },
    )
    settings: ServiceSettings = prefixed(**overrides)
    return settings
