"""Welch's t-test in pure Python: Student's t distribution via the incomplete beta function."""

import math
from dataclasses import dataclass

_TINY = 1e-300
_EPSILON = 3e-16
_MAX_ITERATIONS = 1000


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    # Modified Lentz evaluation of the continued fraction for I_x(a, b) (Numerical Recipes 6.4).
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_ITERATIONS + 1):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= d * c
        if abs(d * c - 1.0) < _EPSILON:
            return result
    raise ArithmeticError("incomplete beta continued fraction did not converge")


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if not (a > 0 and b > 0 and 0.0 <= x <= 1.0):
        raise ValueError("need a > 0, b > 0 and 0 <= x <= 1")
    if x in (0.0, 1.0):
        return x
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast only below this point; use symmetry above it.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def student_t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with `df` degrees of freedom."""
    return regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


def student_t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    tail = student_t_two_sided_p(t, df) / 2.0
    return 1.0 - tail if t > 0 else tail


@dataclass(frozen=True)
class WelchResult:
    """Welch's t statistic (a minus b), its degrees of freedom and two-sided p-value."""

    t_statistic: float | None
    degrees_of_freedom: float | None
    p_value: float


def welch_t_test(
    count_a: int, mean_a: float, variance_a: float, count_b: int, mean_b: float, variance_b: float
) -> WelchResult:
    """Two-sided Welch's t-test of equal means from summary statistics (counts >= 2)."""
    if count_a < 2 or count_b < 2:
        raise ValueError("Welch's t-test needs at least two observations per sample")
    share_a, share_b = variance_a / count_a, variance_b / count_b
    standard_error_squared = share_a + share_b
    if standard_error_squared == 0.0:
        # No spread at all: the means either differ with certainty or not at all.
        return WelchResult(None, None, 1.0 if mean_a == mean_b else 0.0)
    t = (mean_a - mean_b) / math.sqrt(standard_error_squared)
    df = standard_error_squared**2 / (share_a**2 / (count_a - 1) + share_b**2 / (count_b - 1))
    return WelchResult(t, df, student_t_two_sided_p(t, df))
