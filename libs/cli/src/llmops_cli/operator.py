"""Operator commands: verify the audit chain, rebuild projections, replay history."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from llmops_cli.endpoints import resolve_endpoints
from llmops_cli.services import definition_of, installed_definitions
from llmops_devstack.paths import llmops_home
from llmops_runtime import operations
from llmops_runtime.relay.checkpoints import AuditSettings
from llmops_runtime.topics import events_topic

audit_app = typer.Typer(help="The immutable audit log.", no_args_is_help=True)
projections_app = typer.Typer(help="Read models.", no_args_is_help=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )


@audit_app.command()
def verify(
    service: Annotated[str, typer.Option("--service", "-s", help="Service whose log to verify.")],
    unpublished_grace: Annotated[
        float, typer.Option(help="Seconds a row may stay unpublished before it counts as forged.")
    ] = 300.0,
) -> None:
    """Check the hash chain against the events topic and signed checkpoints; exit 1 at a break."""
    endpoints = resolve_endpoints()
    key = checkpoint_key()
    if key is None:
        typer.echo("no LLMOPS_AUDIT_CHECKPOINT_KEY: checkpoints are not checked", err=True)
    with _progress() as bar:
        task = bar.add_task(f"verifying {service}", total=None)

        def advance(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        broken = asyncio.run(
            operations.verify_audit_log(
                endpoints.database_url,
                service,
                advance,
                bootstrap=endpoints.bootstrap_servers,
                events_topic=events_topic(service),
                checkpoint_key=key,
                unpublished_grace_s=unpublished_grace,
            )
        )
    if broken is not None:
        typer.echo(f"BROKEN at position {broken.position}: {broken.reason}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{service}: the audit chain verifies")


def checkpoint_key() -> str | None:
    """The checkpoint key: `LLMOPS_AUDIT_CHECKPOINT_KEY`, else the local stack's key file."""
    configured = AuditSettings().checkpoint_key
    if configured is not None:
        return configured.get_secret_value()
    local = llmops_home() / "audit-checkpoint-key"
    return local.read_text().strip() if local.exists() else None


@projections_app.command()
def rebuild(
    service: Annotated[str, typer.Argument(help="Service whose projections to rebuild.")],
    name: Annotated[str | None, typer.Argument(help="One projection; all when omitted.")] = None,
) -> None:
    """Rebuild from scratch into new tables and swap them in; reads continue meanwhile."""
    endpoints = resolve_endpoints()
    projections = list(definition_of(service).projections)
    if name is not None:
        projections = [p for p in projections if p.name == name]
        if not projections:
            typer.echo(f"{service} has no projection {name!r}", err=True)
            raise typer.Exit(2)
    with _progress() as bar:
        tasks = {p.name: bar.add_task(p.name, total=None) for p in projections}

        def advance(projection: str, applied: int) -> None:
            bar.update(tasks[projection], completed=applied)

        counts = asyncio.run(
            operations.rebuild(
                endpoints.database_url,
                service,
                projections,
                bootstrap=endpoints.bootstrap_servers,
                progress=advance,
            )
        )
    for projection, applied in counts.items():
        typer.echo(f"{projection}: rebuilt from {applied} events")


def replay(
    service: Annotated[str, typer.Argument(help="Service whose history to re-publish.")],
    to_topic: Annotated[str, typer.Option("--to-topic", help="Topic to publish to.")],
    from_position: Annotated[int, typer.Option(help="First global position to send.")] = 1,
) -> None:
    """Re-publish a service's published history to a topic, for a new consumer."""
    # An installed service sends only what it publishes; a bare schema (no definition
    # installed under that name) is replayed as stored.
    definition = installed_definitions().get(service)
    publication = definition.publication() if definition is not None else None
    endpoints = resolve_endpoints()
    with _progress() as bar:
        task = bar.add_task(f"replaying {service} to {to_topic}", total=None)

        def advance(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        sent = asyncio.run(
            operations.replay_events(
                endpoints.database_url,
                service,
                endpoints.bootstrap_servers,
                to_topic,
                from_position=from_position,
                progress=advance,
                publication=publication,
            )
        )
    typer.echo(f"{sent} events published to {to_topic}")
