"""Issuing and verifying actor tokens (JWT, HS256; RS256 when public keys are configured)."""

from __future__ import annotations

import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt

from llmops_runtime.auth.settings import DEFAULT_AUDIENCE, AuthSettings, IssuerKey
from llmops_runtime.rejections import UNAUTHENTICATED, CommandRejected


@dataclass(frozen=True, slots=True)
class Actor:
    """A verified actor: its name (the token's `sub`), roles and teams claimed by the issuer.

    Permissions come from governance role bindings of the name or of one of the teams.
    """

    name: str
    issuer: str
    roles: tuple[str, ...] = field(default=())
    teams: tuple[str, ...] = field(default=())


def issue_token(
    actor: str,
    key: str,
    issuer: str,
    ttl_s: float = 3600,
    roles: tuple[str, ...] = (),
    *,
    teams: tuple[str, ...] = (),
    audience: str = DEFAULT_AUDIENCE,
    algorithm: str = "HS256",
) -> str:
    """A signed token naming actor for audience, valid for ttl_s seconds.

    key is the HS256 secret, or the PEM private key for RS256.
    """
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": actor,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + int(ttl_s),
    }
    if roles:
        claims["roles"] = list(roles)
    if teams:
        claims["teams"] = list(teams)
    return jwt.encode(claims, key, algorithm=algorithm)


MAX_ACTOR_CHARS = 200
MAX_TEAMS = 50
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


_ALGORITHMS = ("HS256", "RS256")
VERIFIED_CACHE_SIZE = 4096


class TokenVerifier:
    """Verifies actor tokens: each key verifies only the tokens of the issuer it is bound to."""

    def __init__(self, settings: AuthSettings) -> None:
        self._keys: dict[str, list[IssuerKey]] = {
            "HS256": settings.hs256_bound_keys(),
            "RS256": settings.rs256_bound_keys(),
        }
        self._audience = settings.audience
        self._leeway = settings.leeway_s
        # sha256(token) -> (actor, exp): verified tokens, most recently used last.
        self._verified: OrderedDict[bytes, tuple[Actor, float]] = OrderedDict()

    def verify(self, token: str | None) -> Actor:
        """The token's actor; raises CommandRejected(unauthenticated) for any bad token.

        A token verified before is answered from a bounded cache (keyed by its SHA-256) as
        long as it has not expired: clients send the same token with many commands, and
        signature checks were most of the cost of a command.
        """
        if not token:
            raise CommandRejected(UNAUTHENTICATED, "the command carries no actor token")
        digest = hashlib.sha256(token.encode()).digest()
        cached = self._verified.get(digest)
        if cached is not None:
            actor, expires = cached
            if time.time() < expires + self._leeway:
                self._verified.move_to_end(digest)
                return actor
            del self._verified[digest]
        actor, expires = self._verify_fully(token)
        self._verified[digest] = (actor, expires)
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)
        return actor

    def _verify_fully(self, token: str) -> tuple[Actor, float]:
        try:
            unverified = jwt.api_jwt.decode_complete(token, options={"verify_signature": False})
            header, payload = unverified["header"], unverified["payload"]
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
            # The decoder's message may quote the token: name only the kind of error.
            message = f"the token is not a well-formed JWT ({type(exc).__name__})"
            raise CommandRejected(UNAUTHENTICATED, message) from exc
        sub = payload.get("sub") if isinstance(payload, dict) else None
        claimed = cleaned_actor(sub) if isinstance(sub, str) else None

        def refused(message: str) -> CommandRejected:
            return CommandRejected(UNAUTHENTICATED, message, claimed_actor=claimed)

        algorithm = header.get("alg") if isinstance(header, dict) else None
        issuer = payload.get("iss") if isinstance(payload, dict) else None
        if algorithm not in _ALGORITHMS:
            raise refused(f"the algorithm must be one of {', '.join(_ALGORITHMS)}")
        keys = [k for k in self._keys[str(algorithm)] if k.issuer == issuer]
        if not keys:
            shown = cleaned_actor(issuer)[:80] if isinstance(issuer, str) else repr(issuer)[:80]
            raise refused(f"no {algorithm} key is configured for the issuer {shown!r}")
        for bound in keys:
            try:
                claims = jwt.decode(
                    token,
                    bound.key.get_secret_value(),
                    algorithms=[str(algorithm)],
                    issuer=bound.issuer,
                    audience=self._audience,
                    leeway=self._leeway,
                    options={"require": ["sub", "exp", "iss", "aud"]},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError as exc:  # expired, wrong audience, malformed: no key will fix it
                raise refused(str(exc)) from exc
            return _actor(claims, refused), float(claims["exp"])
        raise refused("signature does not match any key of the issuer")


def _actor(claims: dict[str, Any], refused: Callable[[str], CommandRejected]) -> Actor:
    roles = claims.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise refused("the roles claim must be a list of strings")
    teams = claims.get("teams", [])
    if (
        not isinstance(teams, list)
        or len(teams) > MAX_TEAMS
        or not all(isinstance(t, str) and t and cleaned_actor(t) == t for t in teams)
    ):
        raise refused(
            f"the teams claim must be a list of at most {MAX_TEAMS} names of"
            f" 1-{MAX_ACTOR_CHARS} characters without control characters"
        )
    sub = claims["sub"]
    if not isinstance(sub, str) or not sub or cleaned_actor(sub) != sub:
        raise refused(
            f"the sub claim must be 1-{MAX_ACTOR_CHARS} characters without control characters"
        )
    return Actor(sub, str(claims["iss"]), tuple(roles), tuple(teams))
