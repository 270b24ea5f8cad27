"""The peer benchmark's arithmetic and verdicts (the figures themselves come from `llmops bench
peers`, never from a test)."""

from __future__ import annotations

from llmops_bench.peers import percentile, with_ratios
from llmops_cli.bench import PEER_GOALS


def test_percentile_is_the_nearest_rank_of_the_sorted_values() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 100 .. 1, unsorted on purpose
    assert percentile(values, 0.50) == 51.0
    assert percentile(values, 0.99) == 100.0
    assert percentile([7.0], 0.99) == 7.0


def test_every_platform_figure_with_an_mlflow_twin_gets_its_ratio() -> None:
    figures = {
        "platform_registrations_per_s": 600.0, "mlflow_registrations_per_s": 50.0,
        "platform_alias_read_p99_ms": 3.0, "mlflow_alias_read_p99_ms": 60.0,
        "platform_propagation_p99_ms": 40.0,  # no peer: no ratio
    }  # fmt: skip
    rated = with_ratios(figures)
    assert rated["ratio_registrations_per_s"] == 12.0
    assert rated["ratio_alias_read_p99_ms"] == 0.05
    assert "ratio_propagation_p99_ms" not in rated
    assert {k: rated[k] for k in figures} == figures


def test_the_goals_say_met_or_not_from_the_figures() -> None:
    met = {
        "ratio_registrations_per_s": 5.0, "ratio_metrics_per_s": 13.0,
        "platform_alias_read_p99_ms": 3.0, "mlflow_alias_read_p99_ms": 60.0,
        "platform_propagation_p99_ms": 100.0,
    }  # fmt: skip
    assert all(goal.check(met) for goal in PEER_GOALS)
    missed = met | {"ratio_registrations_per_s": 4.9, "platform_propagation_p99_ms": 101.0}
    verdicts = {goal.key: goal.check(missed) for goal in PEER_GOALS}
    assert verdicts == {
        "ratio_registrations_per_s": False, "ratio_metrics_per_s": True,
        "platform_alias_read_p99_ms": True, "platform_propagation_p99_ms": False,
    }  # fmt: skip
