"""`llmops cost import-billing FILE`: send a FOCUS billing feed to the cost service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from llmops_cli.send import deliver
from llmops_events.cost import MAX_FEED_CHARS

app = typer.Typer(help="Costs: billing feeds.", no_args_is_help=True)


def read_feed(path: Path) -> str:
    """The feed's text, refused (exit 2) when unreadable, not UTF-8 or over the contract's size."""
    try:
        if path.stat().st_size > MAX_FEED_CHARS * 4:  # never read a huge file to refuse it
            raise ValueError
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        typer.echo(f"cannot read {path}: {error.strerror or error}", err=True)
        raise typer.Exit(2) from error
    except (ValueError, UnicodeDecodeError) as error:
        typer.echo(f"{path} is not a UTF-8 feed of at most {MAX_FEED_CHARS:,} characters", err=True)
        raise typer.Exit(2) from error
    if len(text) > MAX_FEED_CHARS:
        typer.echo(f"{path} is not a UTF-8 feed of at most {MAX_FEED_CHARS:,} characters", err=True)
        raise typer.Exit(2)
    return text


@app.command("import-billing")
def import_billing(
    file: Annotated[Path, typer.Argument(help="A FOCUS 1.x CSV export (BilledCost, ...).")],
    name: Annotated[str | None, typer.Option(help="The feed's name (default: file name).")] = None,
    finalize: Annotated[
        bool, typer.Option(help="Also finalize each profile reconciled within tolerance.")
    ] = False,
    actor: Annotated[str, typer.Option(help="Actor for a local dev token.")] = "dev",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the result.")] = 60.0,
) -> None:
    """Import a billing feed: every line matched and reconciled, or the feed refused whole
    with a reason per line (exit 1); nothing is imported partially."""
    payload = {"name": name or file.name, "content": read_feed(file), "finalize": finalize}
    deliver("cost", "cost.import_billing_feed", payload, actor=actor, timeout=timeout)
