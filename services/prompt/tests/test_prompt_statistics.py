"""Student's t distribution and Welch's t-test against published values."""

import statistics

import pytest

from prompt_service.domain.observations import RunningStatistics
from prompt_service.domain.statistics import (
    regularized_incomplete_beta,
    student_t_cdf,
    student_t_two_sided_p,
    welch_t_test,
)

# Wikipedia, "Welch's t-test", example 1.
SAMPLE_A1 = [
    27.5,
    21.0,
    19.0,
    23.6,
    17.0,
    17.9,
    16.9,
    20.1,
    21.9,
    22.6,
    23.1,
    19.6,
    19.0,
    21.7,
    21.4,
]
SAMPLE_A2 = [
    27.1,
    22.0,
    20.8,
    23.4,
    23.4,
    23.5,
    25.8,
    22.0,
    24.8,
    20.2,
    21.9,
    22.1,
    22.9,
    20.5,
    24.4,
]


class TestStudentT:
    def test_one_degree_of_freedom_is_the_cauchy_distribution(self):
        assert student_t_cdf(1.0, 1) == pytest.approx(0.75, abs=1e-12)

    def test_two_degrees_of_freedom_match_the_closed_form(self):
        assert student_t_cdf(2.0, 2) == pytest.approx(0.5 + 1 / 6**0.5, abs=1e-12)

    @pytest.mark.parametrize(
        ("t", "df", "p"),
        [(12.7062, 1, 0.05), (2.570582, 5, 0.05), (2.228139, 10, 0.05), (2.845340, 20, 0.01)],
    )
    def test_two_sided_p_values_match_critical_value_tables(self, t, df, p):
        assert student_t_two_sided_p(t, df) == pytest.approx(p, abs=1e-6)

    def test_the_distribution_is_symmetric(self):
        assert student_t_cdf(-1.3, 7) == pytest.approx(1 - student_t_cdf(1.3, 7), abs=1e-12)

    def test_large_degrees_of_freedom_approach_the_normal_distribution(self):
        assert student_t_two_sided_p(1.959964, 1e7) == pytest.approx(0.05, abs=1e-6)

    def test_the_incomplete_beta_of_one_one_is_the_identity(self):
        assert regularized_incomplete_beta(1, 1, 0.3) == pytest.approx(0.3, abs=1e-12)


class TestWelch:
    def test_welch_matches_the_published_example(self):
        result = welch_t_test(
            15, statistics.mean(SAMPLE_A1), statistics.variance(SAMPLE_A1),
            15, statistics.mean(SAMPLE_A2), statistics.variance(SAMPLE_A2),
        )  # fmt: skip
        assert result.t_statistic == pytest.approx(-2.46, abs=0.005)
        assert result.degrees_of_freedom == pytest.approx(24.99, abs=0.005)
        assert result.p_value == pytest.approx(0.021, abs=0.0005)

    def test_identical_samples_without_spread_have_p_one(self):
        assert welch_t_test(3, 1.0, 0.0, 3, 1.0, 0.0).p_value == 1.0

    def test_different_samples_without_spread_have_p_zero(self):
        assert welch_t_test(3, 1.0, 0.0, 3, 2.0, 0.0).p_value == 0.0

    def test_fewer_than_two_observations_are_refused(self):
        with pytest.raises(ValueError, match="two observations"):
            welch_t_test(1, 1.0, 0.0, 3, 2.0, 1.0)


class TestRunningStatistics:
    def test_a_batch_summary_matches_the_standard_library(self):
        summary = RunningStatistics.of(SAMPLE_A1)
        assert summary.mean == pytest.approx(statistics.mean(SAMPLE_A1))
        assert summary.variance == pytest.approx(statistics.variance(SAMPLE_A1))

    def test_merged_batches_equal_one_batch(self):
        merged = RunningStatistics.of(SAMPLE_A1[:4]).merge(RunningStatistics.of(SAMPLE_A1[4:]))
        assert merged.count == 15
        assert merged.variance == pytest.approx(statistics.variance(SAMPLE_A1))

    def test_merging_is_stable_for_large_means(self):
        values = [1e9 + x for x in (1.0, 2.0, 3.0, 4.0)]
        merged = RunningStatistics.of(values[:2]).merge(RunningStatistics.of(values[2:]))
        assert merged.variance == pytest.approx(statistics.variance(values))

    def test_variance_is_undefined_below_two_observations(self):
        assert RunningStatistics.of([3.0]).variance is None
