"""The `llmops` command: one CLI for the local stack and for operators."""

from __future__ import annotations

import typer

from llmops_cli import dev, events, send, token

app = typer.Typer(help="LLM Ops control plane.", no_args_is_help=True)
app.add_typer(dev.app, name="dev")
app.add_typer(events.app, name="events")
app.add_typer(token.app, name="token")
app.command(name="send")(send.send)

if __name__ == "__main__":
    app()
