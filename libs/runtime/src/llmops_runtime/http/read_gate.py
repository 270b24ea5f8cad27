"""Who may read a service's HTTP API: a verified bearer token of an actor allowed to read.

The same tokens as commands (`Authorization: Bearer <jwt>`), verified by the same
TokenVerifier; the actor needs a governance role binding granting `read` (every role does,
`viewer` only that) in any scope, or to be a bootstrap admin. The operations routes
(/healthz, /readyz, /metrics, /asyncapi.json, /docs) stay open: probes and scrapers carry no
token, and they show no domain data.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from llmops_runtime.auth import Actor, ReadAuthorizer, TokenVerifier
from llmops_runtime.rejections import CommandRejected

# A header longer than this is refused before any parsing (tokens are a few hundred bytes).
MAX_AUTHORIZATION_CHARS = 8_192
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class ReadGate:
    """A FastAPI dependency of every read route: 401 without a valid token, 403 without read."""

    def __init__(self, verifier: TokenVerifier, authorizer: ReadAuthorizer) -> None:
        self.verifier = verifier
        self.authorizer = authorizer

    async def __call__(self, request: Request) -> Actor:
        """The reading actor, or an HTTPException saying why not."""
        header = request.headers.get("authorization", "")
        if len(header) > MAX_AUTHORIZATION_CHARS:
            raise HTTPException(401, "the Authorization header is too long", headers=_CHALLENGE)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(
                401, "reading needs a bearer token (Authorization: Bearer <token>)",
                headers=_CHALLENGE,
            )  # fmt: skip
        try:
            actor = self.verifier.verify(token.strip())
        except CommandRejected as refused:
            raise HTTPException(401, refused.message, headers=_CHALLENGE) from None
        try:
            await self.authorizer.authorize_read(actor)
        except CommandRejected as refused:
            raise HTTPException(403, refused.message) from None
        return actor
