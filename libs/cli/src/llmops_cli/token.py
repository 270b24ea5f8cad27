"""`llmops token issue --actor NAME`: a signed actor token for local use."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from llmops_runtime.auth import AuthSettings, dev_signing_key, issue_token
from llmops_runtime.auth.settings import DEV_ISSUER, IssuerKey

app = typer.Typer(help="Actor tokens for local use.", no_args_is_help=True)


class TokenRefused(Exception):
    """The CLI will not sign the token asked for."""


def local_token(
    actor: str,
    ttl_s: float = 3600,
    *,
    issuer: str | None = None,
    production_key: bool = False,
    teams: tuple[str, ...] = (),
) -> str:
    """A token from `LLMOPS_TOKEN` if set, else signed with the local dev key.

    A key of `LLMOPS_AUTH_HS256_KEYS` (a production key) signs only with production_key set;
    the dev key (`.llmops/dev-signing-key`, accepted by services only with
    `LLMOPS_AUTH_DEV_MODE=true`) signs only for the issuer `llmops-dev`.
    """
    preset = os.environ.get("LLMOPS_TOKEN")
    if preset:
        return preset
    settings = AuthSettings()
    configured = [k for k in settings.hs256_keys if isinstance(k, IssuerKey)]
    if configured:
        matching = [k for k in configured if issuer in (None, k.issuer)]
        if not matching:
            raise TokenRefused(f"no configured key for the issuer {issuer!r}")
        if not production_key:
            raise TokenRefused(
                f"refusing to sign with the production key of {matching[0].issuer!r}"
                " (LLMOPS_AUTH_HS256_KEYS): pass --production-key to do so explicitly"
            )
        chosen = matching[0]
        key, issuer = chosen.key.get_secret_value(), chosen.issuer
    elif issuer not in (None, DEV_ISSUER):
        raise TokenRefused(f"the dev key signs only for the issuer {DEV_ISSUER!r}")
    else:
        key, issuer = dev_signing_key(settings.dev_key_path), DEV_ISSUER
    return issue_token(actor, key, issuer, ttl_s, teams=teams, audience=settings.audience)


@app.command()
def issue(
    actor: Annotated[str, typer.Option(help="The actor the token names.")],
    ttl: Annotated[float, typer.Option(help="Validity in seconds.")] = 3600,
    issuer: Annotated[str | None, typer.Option(help="The issuer (default: the key's).")] = None,
    production_key: Annotated[
        bool, typer.Option("--production-key", help="Sign with a LLMOPS_AUTH_HS256_KEYS key.")
    ] = False,
    team: Annotated[
        list[str] | None, typer.Option(help="A team the actor belongs to (repeatable).")
    ] = None,
) -> None:
    """Print a token for actor, signed with the local dev key (or, explicitly, a production key)."""
    try:
        typer.echo(
            local_token(
                actor, ttl, issuer=issuer, production_key=production_key, teams=tuple(team or ())
            )
        )
    except TokenRefused as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
