"""The bootstrap admins: actors given every permission by configuration alone.

`LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS` (comma-separated actor names) is read by governance,
which records an admin role binding for each, and by every enforcing service, so the first
admins can act before any binding exists. Removing a name from it is how one is withdrawn.
"""

from __future__ import annotations

import os
import re

VARIABLE = "LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS"
MAX_ADMINS = 20
# An actor name as tokens carry it, strict: no spaces, commas or leading punctuation.
_ACTOR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:+-]{0,199}$")


class BootstrapAdminsInvalid(ValueError):
    """The variable names too many actors, or a name that is not a valid actor name."""


def bootstrap_admins(raw: str | None = None) -> frozenset[str]:
    """The configured admin names (none when unset); refuses an unusable configuration."""
    text = os.environ.get(VARIABLE, "") if raw is None else raw
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(names) > MAX_ADMINS:
        raise BootstrapAdminsInvalid(f"{VARIABLE} names {len(names)} actors (at most {MAX_ADMINS})")
    for name in names:
        if not _ACTOR.match(name):
            raise BootstrapAdminsInvalid(
                f"{VARIABLE}: {name[:40]!r} is not an actor name (letters, digits, ._@:+-;"
                " at most 200 characters, a letter or digit first)"
            )
    return frozenset(names)
