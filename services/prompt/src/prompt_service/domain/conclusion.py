"""How an experiment is decided: Welch's t-test, two-sided, at a stated significance."""

from dataclasses import dataclass

from prompt_service.domain.observations import RunningStatistics
from prompt_service.domain.statistics import welch_t_test

STATISTICAL_TEST = "welch_t_test"
ALPHA = 0.05
# Lower is better only for latency; CSAT, ROUGE and custom metrics are maximized.
LOWER_IS_BETTER = frozenset({"latency"})


@dataclass(frozen=True)
class Decision:
    """The outcome of comparing variant a with variant b."""

    outcome: str
    winner_variant: str | None
    t_statistic: float | None
    degrees_of_freedom: float | None
    p_value: float | None


def decide(metric: str, a: RunningStatistics, b: RunningStatistics, alpha: float) -> Decision:
    """A winner if the means differ at `alpha`; too little data is no significant difference."""
    if a.count < 2 or b.count < 2:
        return Decision("no_significant_difference", None, None, None, None)
    result = welch_t_test(a.count, a.mean, a.variance or 0.0, b.count, b.mean, b.variance or 0.0)
    if result.p_value >= alpha:
        return Decision(
            "no_significant_difference",
            None,
            result.t_statistic,
            result.degrees_of_freedom,
            result.p_value,
        )
    a_is_lower = a.mean < b.mean
    winner = "a" if a_is_lower == (metric in LOWER_IS_BETTER) else "b"
    return Decision("winner", winner, result.t_statistic, result.degrees_of_freedom, result.p_value)
