"""`llmops bench`: measured figures beside their baselines and goals, as a table and JSON."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from llmops_cli.endpoints import resolve_endpoints

app = typer.Typer(
    help="Benchmarks against the local stack (not timed tests).", no_args_is_help=True
)


@dataclass(frozen=True)
class Goal:
    """A figure's goal: at least (or at most) a value, or a multiple of a baseline figure."""

    key: str
    check: Callable[[dict[str, float]], bool]
    text: str


STORE_GOALS = [
    Goal("append_eps_batch100", lambda r: r["append_eps_batch100"] >= 20_000, ">= 20,000"),
    Goal(
        "append_eps_batch100",
        lambda r: r["append_eps_batch100"] >= 10 * r["library_append_eps_batch1"],
        ">= 10 x library_append_eps_batch1",
    ),
    Goal("tail_read_eps", lambda r: r["tail_read_eps"] >= 200_000, ">= 200,000"),
    Goal("rebuild_eps", lambda r: r["rebuild_eps"] >= 50_000, ">= 50,000"),
    Goal("relay_p99_ms", lambda r: r["relay_p99_ms"] <= 50, "<= 50"),
]

COMMAND_GOALS = [
    Goal("commands_per_s", lambda r: r["commands_per_s"] >= 2_000, ">= 2,000"),
    Goal(
        "commands_per_s",
        lambda r: r["commands_per_s"] >= 2 * r["library_commands_per_s"],
        ">= 2 x library_commands_per_s",
    ),
    Goal("latency_p50_ms", lambda r: r["latency_p50_ms"] <= 15, "<= 15"),
    Goal("latency_p99_ms", lambda r: r["latency_p99_ms"] <= 60, "<= 60"),
    Goal("service_rss_mb", lambda r: r["service_rss_mb"] <= 250, "<= 250"),
]

TRAINING_METRICS_GOALS = [
    Goal(
        "metrics_per_s_end_to_end",
        lambda r: r["metrics_per_s_end_to_end"] >= 50_000,
        ">= 50,000",
    ),
]

PEER_GOALS = [
    Goal("ratio_registrations_per_s", lambda r: r["ratio_registrations_per_s"] >= 5, ">= 5"),
    Goal("ratio_metrics_per_s", lambda r: r["ratio_metrics_per_s"] >= 5, ">= 5"),
    Goal(
        "platform_alias_read_p99_ms",
        lambda r: r["platform_alias_read_p99_ms"] <= r["mlflow_alias_read_p99_ms"],
        "<= mlflow_alias_read_p99_ms",
    ),
    Goal(
        "platform_propagation_p99_ms", lambda r: r["platform_propagation_p99_ms"] <= 100, "<= 100"
    ),
]


def report(
    title: str, results: dict[str, float], goals: list[Goal], json_path: Path | None
) -> None:
    """Print every figure, then each goal with its verdict; write the JSON if asked."""
    console = Console()
    figures = Table(title=title)
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    for key, value in results.items():
        figures.add_row(key, f"{value:,.2f}")
    console.print(figures)
    verdicts = Table(title="goals")
    for column in ("figure", "goal", "met"):
        verdicts.add_column(column)
    for goal in goals:
        verdicts.add_row(goal.key, goal.text, "yes" if goal.check(results) else "NO")
    console.print(verdicts)
    if json_path is not None:
        json_path.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"written to {json_path}")


JsonOption = Annotated[Path | None, typer.Option("--json", help="Also write the figures here.")]


@app.command()
def store(json_path: JsonOption = None) -> None:
    """Event store: append, tail-read and rebuild throughput, relay latency."""
    from llmops_bench.store import run_store_benchmark

    endpoints = resolve_endpoints()
    results = asyncio.run(run_store_benchmark(endpoints.database_url, endpoints.bootstrap_servers))
    report("event store", results, STORE_GOALS, json_path)


@app.command()
def commands(
    json_path: JsonOption = None,
    duration: Annotated[float, typer.Option(help="Seconds of sustained load.")] = 60.0,
) -> None:
    """Command bus: sustained commands/s, latency at 200/s, service RSS, library baseline."""
    from llmops_bench.commands import run_commands_benchmark

    endpoints = resolve_endpoints()
    results = asyncio.run(
        run_commands_benchmark(endpoints.bootstrap_servers, endpoints.database_url, duration)
    )
    report("command bus", results, COMMAND_GOALS, json_path)


@app.command(name="training-metrics")
def training_metrics(
    json_path: JsonOption = None,
    commands: Annotated[int, typer.Option(help="record_metrics commands of 5,000 points.")] = 40,
) -> None:
    """Training metrics: points/s end to end through training.record_metrics (bulk insert)."""
    from llmops_bench.training_metrics import run_training_metrics_benchmark

    endpoints = resolve_endpoints()
    results = asyncio.run(
        run_training_metrics_benchmark(
            endpoints.bootstrap_servers, endpoints.database_url, commands=commands
        )
    )
    report("training metrics", results, TRAINING_METRICS_GOALS, json_path)


@app.command()
def peers(
    json_path: JsonOption = None,
    versions: Annotated[int, typer.Option(help="Model versions registered on each side.")] = 2_000,
    metric_points: Annotated[int, typer.Option(help="Metric points on each side.")] = 200_000,
    workers: Annotated[int, typer.Option(help="MLflow server workers.")] = 4,
) -> None:
    """This platform beside MLflow's tracking server and registry (installed on demand)."""
    from llmops_bench.peers import Workload, run_peers_benchmark

    endpoints = resolve_endpoints()
    load = Workload(versions=versions, metric_points=metric_points, mlflow_workers=workers)
    results = asyncio.run(
        run_peers_benchmark(endpoints.bootstrap_servers, endpoints.database_url, load)
    )
    report("this platform beside MLflow", results, PEER_GOALS, json_path)


@app.command(name="all")
def run_all(
    out: Annotated[Path, typer.Option(help="Folder for the JSON figures.")] = Path("bench-results"),
) -> None:
    """Every benchmark in one run, each figure beside its baseline; JSON into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    store(out / "store.json")
    commands(out / "commands.json")
    training_metrics(out / "training-metrics.json")
    peers(out / "peers.json")
