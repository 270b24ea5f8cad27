"""The bootstrap admins: actors given every permission by configuration alone.

`LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS` (comma-separated actor names) is read by governance,
which records an admin role binding for each, and by every enforcing service, so the first
admins can act before any binding exists. Removing a name from it is how one is withdrawn.
"""

from __future__ import annotations

import os

from llmops_runtime.auth.tokens import MAX_ACTOR_CHARS, cleaned_actor

VARIABLE = "LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS"
MAX_ADMINS = 20


class BootstrapAdminsInvalid(ValueError):
    """The variable names too many actors, or a name that is not a valid actor name."""


def bootstrap_admins(raw: str | None = None) -> frozenset[str]:
    """The configured admin names (none when unset); refuses an unusable configuration."""
    text = os.environ.get(VARIABLE, "") if raw is None else raw
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(names) > MAX_ADMINS:
        raise BootstrapAdminsInvalid(f"{VARIABLE} names {len(names)} actors (at most {MAX_ADMINS})")
    for name in names:
        if len(name) > MAX_ACTOR_CHARS or cleaned_actor(name) != name:
            raise BootstrapAdminsInvalid(
                f"{VARIABLE}: {name[:40]!r} is not an actor name (1-{MAX_ACTOR_CHARS} characters,"
                " no control characters)"
            )
    return frozenset(names)
