"""Signing keys and accepted issuers, from the environment (`LLMOPS_AUTH_*`)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_KEY_PATH = Path(".llmops") / "dev-signing-key"
DEV_ISSUER = "llmops-dev"
DEFAULT_AUDIENCE = "llmops"


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


class IssuerKey(BaseModel):
    """A verification key and the one issuer whose tokens it may verify."""

    issuer: str
    key: SecretStr


def _bound(keys: list[IssuerKey | SecretStr], issuers: list[str], kind: str) -> list[IssuerKey]:
    # A plain key (the older form) is bound to the one configured issuer, or refused.
    bound = []
    for entry in keys:
        if isinstance(entry, IssuerKey):
            bound.append(entry)
        elif len(issuers) == 1:
            bound.append(IssuerKey(issuer=issuers[0], key=entry))
        else:
            raise ValueError(
                f"LLMOPS_AUTH_{kind} holds a plain key but LLMOPS_AUTH_ISSUERS names"
                f" {len(issuers)} issuers: give each key its issuer,"
                ' [{"issuer": "...", "key": "..."}]'
            )
    return bound


class AuthSettings(BaseSettings):
    """`LLMOPS_AUTH_HS256_KEYS` / `_RS256_PUBLIC_KEYS`: JSON lists of {"issuer", "key"}, ...

    Each key verifies only tokens of its own issuer. A plain-string key is bound to the single
    issuer of `LLMOPS_AUTH_ISSUERS` (refused when that names none or several). Tokens must
    name `LLMOPS_AUTH_AUDIENCE` (default `llmops`) in `aud`. With `LLMOPS_AUTH_DEV_MODE=true`
    the key in `.llmops/dev-signing-key` is accepted too, for the issuer `llmops-dev` only.
    Never enable dev mode in production.
    """

    model_config = SettingsConfigDict(env_prefix="LLMOPS_AUTH_")

    hs256_keys: list[IssuerKey | SecretStr] = []
    rs256_public_keys: list[IssuerKey | SecretStr] = []
    issuers: list[str] = []
    audience: str = DEFAULT_AUDIENCE
    leeway_s: float = 5.0
    dev_mode: bool = False
    dev_key_path: Path = DEV_KEY_PATH

    @model_validator(mode="after")
    def _keys_are_bound(self) -> AuthSettings:
        self.hs256_keys = list(_bound(self.hs256_keys, self.issuers, "HS256_KEYS"))
        self.rs256_public_keys = list(
            _bound(self.rs256_public_keys, self.issuers, "RS256_PUBLIC_KEYS")
        )
        return self

    def hs256_bound_keys(self) -> list[IssuerKey]:
        """The HS256 keys with their issuers, including the dev key (dev issuer) in dev mode."""
        keys = [k for k in self.hs256_keys if isinstance(k, IssuerKey)]
        if self.dev_mode:
            dev = SecretStr(dev_signing_key(self.dev_key_path))
            keys.append(IssuerKey(issuer=DEV_ISSUER, key=dev))
        return keys

    def rs256_bound_keys(self) -> list[IssuerKey]:
        """The RS256 public keys (PEM) with their issuers."""
        return [k for k in self.rs256_public_keys if isinstance(k, IssuerKey)]

    def symmetric_keys(self) -> list[str]:
        """The HS256 keys to accept, including the dev key in dev mode."""
        return [k.key.get_secret_value() for k in self.hs256_bound_keys()]

    def accepted_issuers(self) -> list[str]:
        """The issuers some key verifies."""
        bound = [*self.hs256_bound_keys(), *self.rs256_bound_keys()]
        return list(dict.fromkeys(k.issuer for k in bound))
