"""The `llmops` command: one CLI for the local stack and for operators."""

from __future__ import annotations

import os

import typer

from llmops_cli import audit_log, bench, cost, db, dev, events, operator, send, token
from llmops_devstack.paths import llmops_home

app = typer.Typer(help="LLM Ops control plane.", no_args_is_help=True)
app.add_typer(dev.app, name="dev")
app.add_typer(bench.app, name="bench")
app.add_typer(db.app, name="db")
app.add_typer(events.app, name="events")
events.app.command(name="replay")(operator.replay)
app.add_typer(operator.audit_app, name="audit")
operator.audit_app.command(name="log")(audit_log.log)
app.add_typer(operator.projections_app, name="projections")
app.add_typer(token.app, name="token")
app.add_typer(cost.app, name="cost")
app.command(name="send")(send.send)


@app.callback()
def _local_defaults() -> None:
    """Commands and the services they start share one dev signing key in `$LLMOPS_HOME`."""
    os.environ.setdefault("LLMOPS_AUTH_DEV_KEY_PATH", str(llmops_home() / "dev-signing-key"))


if __name__ == "__main__":
    app()
