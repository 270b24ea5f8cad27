"""Signing keys and accepted issuers, from the environment (`LLMOPS_AUTH_*`)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_KEY_PATH = Path(".llmops") / "dev-signing-key"
DEV_ISSUER = "llmops-dev"


def dev_signing_key(path: Path = DEV_KEY_PATH) -> str:
    """The local development key: generated once into the git-ignored `.llmops/` folder."""
    return dev_secret(path)


def dev_secret(path: Path) -> str:
    """A random local secret kept in path, generated (mode 0600) on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created with 0600 so other local users cannot mint tokens.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key


class AuthSettings(BaseSettings):
    """`LLMOPS_AUTH_HS256_KEYS` (JSON list; several during rotation), `LLMOPS_AUTH_ISSUERS`, ...

    With `LLMOPS_AUTH_DEV_MODE=true` the key in `.llmops/dev-signing-key` and the issuer
    `llmops-dev` are accepted too. Never enable dev mode in production.
    """

    model_config = SettingsConfigDict(env_prefix="LLMOPS_AUTH_")

    hs256_keys: list[SecretStr] = []
    rs256_public_keys: list[str] = []
    issuers: list[str] = []
    audience: str | None = None
    leeway_s: float = 5.0
    dev_mode: bool = False
    dev_key_path: Path = DEV_KEY_PATH

    def symmetric_keys(self) -> list[str]:
        """The HS256 keys to accept, including the dev key in dev mode."""
        keys = [k.get_secret_value() for k in self.hs256_keys]
        if self.dev_mode:
            keys.append(dev_signing_key(self.dev_key_path))
        return keys

    def accepted_issuers(self) -> list[str]:
        """The issuers to accept, including the dev issuer in dev mode."""
        return [*self.issuers, *([DEV_ISSUER] if self.dev_mode else [])]
