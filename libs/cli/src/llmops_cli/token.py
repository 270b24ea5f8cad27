"""`llmops token issue --actor NAME`: a signed actor token for local use."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from llmops_runtime.auth import AuthSettings, dev_signing_key, issue_token
from llmops_runtime.auth.settings import DEV_ISSUER

app = typer.Typer(help="Actor tokens for local use.", no_args_is_help=True)


def local_token(actor: str, ttl_s: float = 3600) -> str:
    """A token from `LLMOPS_TOKEN` if set, else signed with the first configured key or dev key.

    The dev key (`.llmops/dev-signing-key`, generated once, git-ignored) is accepted by
    services only with `LLMOPS_AUTH_DEV_MODE=true`.
    """
    preset = os.environ.get("LLMOPS_TOKEN")
    if preset:
        return preset
    settings = AuthSettings()
    if settings.hs256_keys and settings.issuers:
        key, issuer = settings.hs256_keys[0].get_secret_value(), settings.issuers[0]
    else:
        key, issuer = dev_signing_key(settings.dev_key_path), DEV_ISSUER
    return issue_token(actor, key, issuer, ttl_s)


@app.command()
def issue(
    actor: Annotated[str, typer.Option(help="The actor the token names.")],
    ttl: Annotated[float, typer.Option(help="Validity in seconds.")] = 3600,
) -> None:
    """Print a token for actor (keys: `LLMOPS_AUTH_HS256_KEYS`, else the local dev key)."""
    typer.echo(local_token(actor, ttl))
