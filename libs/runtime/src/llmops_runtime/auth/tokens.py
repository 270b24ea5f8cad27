"""Issuing and verifying actor tokens (JWT, HS256; RS256 when public keys are configured)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import jwt

from llmops_runtime.auth.settings import AuthSettings
from llmops_runtime.rejections import UNAUTHENTICATED, CommandRejected


@dataclass(frozen=True, slots=True)
class Actor:
    """A verified actor: its name (the token's `sub`) and roles claimed by the issuer."""

    name: str
    issuer: str
    roles: tuple[str, ...] = field(default=())


def issue_token(
    actor: str, key: str, issuer: str, ttl_s: float = 3600, roles: tuple[str, ...] = ()
) -> str:
    """A signed HS256 token naming actor, valid for ttl_s seconds."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": actor, "iss": issuer, "iat": now, "exp": now + int(ttl_s)}
    if roles:
        claims["roles"] = list(roles)
    return jwt.encode(claims, key, algorithm="HS256")


MAX_ACTOR_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def cleaned_actor(name: str) -> str:
    """name without NUL and control characters, cut to MAX_ACTOR_CHARS: safe to store."""
    return _CONTROL.sub("", name)[:MAX_ACTOR_CHARS]


def unverified_subject(token: str | None) -> str | None:
    """The `sub` a token claims, unverified and cleaned: only for the audit of a refused token."""
    if not token:
        return None
    try:
        sub = jwt.decode(token, options={"verify_signature": False}).get("sub")
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    return cleaned_actor(sub) if isinstance(sub, str) else None


class TokenVerifier:
    """Verifies actor tokens against the configured keys and issuers."""

    def __init__(self, settings: AuthSettings) -> None:
        self._hs_keys = settings.symmetric_keys()
        self._rs_keys = list(settings.rs256_public_keys)
        self._issuers = settings.accepted_issuers()
        self._audience = settings.audience
        self._leeway = settings.leeway_s

    def verify(self, token: str | None) -> Actor:
        """The token's actor; raises CommandRejected(unauthenticated) for any bad token."""
        if not token:
            raise CommandRejected(UNAUTHENTICATED, "the command carries no actor token")
        claimed = unverified_subject(token)
        last_error = "no signing key configured"
        keys = [(k, "HS256") for k in self._hs_keys] + [(k, "RS256") for k in self._rs_keys]
        for key, algorithm in keys:
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=[algorithm],
                    issuer=self._issuers or None,
                    audience=self._audience,
                    leeway=self._leeway,
                    options={"require": ["sub", "exp", "iss"]},
                )
            except jwt.InvalidSignatureError:
                last_error = "signature does not match any accepted key"
                continue
            except jwt.PyJWTError as exc:  # expired, wrong issuer, malformed: no key will fix it
                raise CommandRejected(UNAUTHENTICATED, str(exc), claimed_actor=claimed) from exc
            if not self._issuers:
                raise CommandRejected(
                    UNAUTHENTICATED, "no accepted issuer configured", claimed_actor=claimed
                )
            roles = claims.get("roles", [])
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                message = "the roles claim must be a list of strings"
                raise CommandRejected(UNAUTHENTICATED, message, claimed_actor=claimed)
            sub = claims["sub"]
            if not isinstance(sub, str) or not sub or cleaned_actor(sub) != sub:
                message = (
                    f"the sub claim must be 1-{MAX_ACTOR_CHARS} characters without control"
                    " characters"
                )
                raise CommandRejected(UNAUTHENTICATED, message, claimed_actor=claimed)
            return Actor(sub, str(claims["iss"]), tuple(roles))
        raise CommandRejected(UNAUTHENTICATED, last_error, claimed_actor=claimed)
