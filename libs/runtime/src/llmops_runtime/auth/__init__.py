"""Actor tokens (JWT issuing and verification) and the one place for permission checks."""

from llmops_runtime.auth.authorizer import (
    AllowAll,
    Authorizer,
    ReadAuthorizer,
    RoleBindingAuthorizer,
)
from llmops_runtime.auth.bootstrap_admins import bootstrap_admins
from llmops_runtime.auth.permissions import Permission, from_payload
from llmops_runtime.auth.settings import AuthSettings, dev_signing_key
from llmops_runtime.auth.tokens import Actor, TokenVerifier, issue_token, unverified_subject

__all__ = [
    "Actor",
    "AllowAll",
    "AuthSettings",
    "Authorizer",
    "Permission",
    "ReadAuthorizer",
    "RoleBindingAuthorizer",
    "TokenVerifier",
    "bootstrap_admins",
    "dev_signing_key",
    "from_payload",
    "issue_token",
    "unverified_subject",
]
