"""Actor tokens: JWT issuing and verification, and the one place for role checks."""

from llmops_runtime.auth.authorizer import AllowAll, Authorizer
from llmops_runtime.auth.settings import AuthSettings, dev_signing_key
from llmops_runtime.auth.tokens import Actor, TokenVerifier, issue_token, unverified_subject

__all__ = [
    "Actor",
    "AllowAll",
    "AuthSettings",
    "Authorizer",
    "TokenVerifier",
    "dev_signing_key",
    "issue_token",
    "unverified_subject",
]
