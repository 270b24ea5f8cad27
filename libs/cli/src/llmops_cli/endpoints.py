"""Where the CLI finds Kafka and PostgreSQL: the environment, else the recorded local stack."""

from __future__ import annotations

import os
from dataclasses import dataclass

import typer

from llmops_devstack import load_state


@dataclass(frozen=True)
class Endpoints:
    """The broker and database a command talks to."""

    bootstrap_servers: str
    database_url: str


def resolve_endpoints() -> Endpoints:
    """`KAFKA_BOOTSTRAP_SERVERS`/`DATABASE_URL`, else `llmops dev up`'s state; exit 2 if neither."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    database = os.environ.get("DATABASE_URL")
    if kafka and database:
        return Endpoints(kafka, database)
    state = load_state()
    if state is None:
        typer.echo(
            "no stack: run `llmops dev up --detach`,"
            " or set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL",
            err=True,
        )
        raise typer.Exit(2)
    return Endpoints(kafka or state.bootstrap_servers, database or state.database_url)
