"""`llmops db migrate`: create the services' tables as the owner and grant their own roles."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Mapping
from typing import Annotated

import typer

from llmops_cli.services import definition_of, installed_definitions
from llmops_devstack import load_state
from llmops_runtime.service import migrate_services, service_role

app = typer.Typer(help="The services' database schemas and roles.", no_args_is_help=True)


def password_env(service: str) -> str:
    """The variable holding a service role's password: `LLMOPS_<SVC>_DB_PASSWORD`."""
    return f"LLMOPS_{service.upper()}_DB_PASSWORD"


def migrate_all(
    database_url: str, services: list[str] | None = None, passwords: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Migrate the given (else all installed) services; return each one's own DATABASE_URL.

    A password comes from `passwords`, else `LLMOPS_<SVC>_DB_PASSWORD`; with neither, the
    role keeps the password it has (none when new: it logs in only where the server trusts).
    """
    names = services if services is not None else sorted(installed_definitions())
    definitions = [definition_of(name) for name in names]
    chosen = {
        name: password
        for name in names
        if (password := (passwords or {}).get(name) or os.environ.get(password_env(name)))
    }
    return asyncio.run(migrate_services(database_url, definitions, chosen))


def dev_passwords(services: list[str]) -> dict[str, str]:
    """A fresh random password per service for one `dev up`, unless the environment sets one."""
    return {s: os.environ.get(password_env(s)) or secrets.token_urlsafe(24) for s in services}


@app.command()
def migrate(
    service: Annotated[
        list[str] | None,
        typer.Option("--service", "-s", help="Service to migrate (repeatable); all if omitted."),
    ] = None,
) -> None:
    """Create tables and triggers as the owner (DATABASE_URL); grant each `llmops_<svc>` role."""
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        state = load_state()
        if state is None:
            typer.echo("no database: set DATABASE_URL or run `llmops dev up --detach`", err=True)
            raise typer.Exit(2)
        database_url = state.database_url
    migrated = migrate_all(database_url, service or None)
    for name in migrated:
        typer.echo(f"{name}: migrated; the service runs as role {service_role(name)}")
