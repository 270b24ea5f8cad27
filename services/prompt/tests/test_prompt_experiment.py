"""A/B experiments: two live templates, a split summing to 100, stop conditions, a verdict."""

from datetime import UTC, datetime, timedelta

import pytest

from llmops_domain.errors import InvalidTransition, ValidationFailed
from prompt_service.domain import PromptExperiment, StopConditionNotMet, TargetNotLive

START = datetime(2025, 11, 27, 9, 0, tzinfo=UTC)

HIGH = [4.6, 4.8, 4.7, 4.9, 4.5, 4.8, 4.7, 4.9, 4.6, 4.8]
LOW = [3.1, 3.4, 2.9, 3.6, 3.2, 3.0, 3.5, 3.3, 3.1, 3.4]


def fill(experiment: PromptExperiment, a: list[float], b: list[float]) -> None:
    experiment.record_observations(variant="a", values=a)
    experiment.record_observations(variant="b", values=b)


class TestStartingAnExperiment:
    def test_an_experiment_starts_between_two_live_templates(self, make_experiment):
        experiment = make_experiment()
        assert experiment.status == "running"
        assert experiment.allocation == {"a": 50, "b": 50}
        assert experiment.id == PromptExperiment.id_for("reply-tone")

    @pytest.mark.parametrize(("a", "b"), [("draft", "live"), ("live", "retired")])
    def test_both_templates_must_be_live(self, make_experiment, a, b):
        with pytest.raises(TargetNotLive) as refused:
            make_experiment(template_a_status=a, template_b_status=b)
        assert len(refused.value.field_errors) == 1

    def test_a_template_cannot_be_compared_with_itself(self, make_experiment):
        with pytest.raises(ValidationFailed) as refused:
            make_experiment(template_b_id="11111111-1111-4111-8111-111111111111")
        assert "template_b_id" in refused.value.field_errors

    @pytest.mark.parametrize(
        "allocation", [{"a": 50, "b": 40}, {"a": 100, "b": 0}, {"a": 50}, {"a": 50.5, "b": 49.5}]
    )
    def test_an_allocation_that_does_not_split_100_percent_is_refused(
        self, make_experiment, allocation
    ):
        with pytest.raises(ValidationFailed) as refused:
            make_experiment(allocation=allocation)
        assert "allocation" in refused.value.field_errors

    def test_an_uneven_split_summing_to_100_is_accepted(self, make_experiment):
        assert make_experiment(allocation={"a": 90, "b": 10}).allocation == {"a": 90, "b": 10}

    @pytest.mark.parametrize("metric", ["latency", "CSAT", "ROUGE", "custom"])
    def test_each_spec_metric_is_accepted(self, make_experiment, metric):
        assert make_experiment(metric=metric).metric == metric

    def test_an_unknown_metric_is_refused(self, make_experiment):
        with pytest.raises(ValidationFailed) as refused:
            make_experiment(metric="BLEU")
        assert "metric" in refused.value.field_errors

    def test_an_experiment_without_a_stop_condition_is_refused(self, make_experiment):
        with pytest.raises(ValidationFailed) as refused:
            make_experiment(end_at=None, min_traffic_per_variant=None)
        assert "stop_conditions" in refused.value.field_errors

    def test_a_minimum_traffic_alone_is_a_stop_condition(self, make_experiment):
        assert make_experiment(end_at=None, min_traffic_per_variant=100).end_at is None

    def test_a_window_ending_before_it_starts_is_refused(self, make_experiment):
        with pytest.raises(ValidationFailed) as refused:
            make_experiment(end_at=START - timedelta(hours=1))
        assert "end_at" in refused.value.field_errors

    def test_a_minimum_traffic_below_two_is_refused(self, make_experiment):
        with pytest.raises(ValidationFailed) as refused:
            make_experiment(end_at=None, min_traffic_per_variant=1)
        assert "min_traffic_per_variant" in refused.value.field_errors

    def test_a_time_without_time_zone_is_refused(self, make_experiment):
        with pytest.raises(ValidationFailed):
            make_experiment(start_at=START.replace(tzinfo=None), end_at=None,
                            min_traffic_per_variant=5)  # fmt: skip


class TestObservations:
    def test_observations_accumulate_per_variant(self, make_experiment):
        experiment = make_experiment()
        experiment.record_observations(variant="a", values=[1.0, 2.0])
        experiment.record_observation(variant="a", value=3.0)
        experiment.record_observation(variant="b", value=5.0)
        assert experiment.observations["a"].count == 3
        assert experiment.observations["a"].mean == pytest.approx(2.0)
        assert experiment.observations["b"].count == 1

    def test_an_unknown_variant_is_refused(self, make_experiment):
        with pytest.raises(ValidationFailed):
            make_experiment().record_observation(variant="c", value=1.0)

    @pytest.mark.parametrize("values", [[], [float("nan")], [float("inf")], [True]])
    def test_empty_or_non_finite_values_are_refused(self, make_experiment, values):
        with pytest.raises(ValidationFailed):
            make_experiment().record_observations(variant="a", values=values)

    def test_a_concluded_experiment_accepts_no_observation(self, make_experiment):
        experiment = make_experiment()
        experiment.conclude(now=START + timedelta(days=8), actor="paula")
        with pytest.raises(InvalidTransition):
            experiment.record_observation(variant="a", value=1.0)


class TestConclusion:
    def test_concluding_before_a_stop_condition_holds_is_refused(self, make_experiment):
        experiment = make_experiment(min_traffic_per_variant=100)
        fill(experiment, HIGH, LOW)
        with pytest.raises(StopConditionNotMet) as refused:
            experiment.conclude(now=START + timedelta(days=1), actor="paula")
        assert refused.value.code == "stop_condition_not_met"
        assert experiment.status == "running"

    def test_the_end_of_the_time_window_is_a_stop_condition(self, make_experiment):
        experiment = make_experiment()
        fill(experiment, HIGH, LOW)
        experiment.conclude(now=START + timedelta(days=7), actor="paula")
        assert experiment.status == "concluded"

    def test_reaching_the_minimum_traffic_is_a_stop_condition(self, make_experiment):
        experiment = make_experiment(end_at=None, min_traffic_per_variant=10)
        fill(experiment, HIGH, LOW)
        experiment.conclude(now=START, actor="paula")
        (concluded,) = experiment.collect_events()[-1:]
        assert concluded.stop_condition == "min_traffic"

    def test_minimum_traffic_must_be_reached_by_both_variants(self, make_experiment):
        experiment = make_experiment(end_at=None, min_traffic_per_variant=10)
        fill(experiment, HIGH, LOW[:9])
        with pytest.raises(StopConditionNotMet):
            experiment.conclude(now=START, actor="paula")

    def test_higher_is_better_for_csat(self, make_experiment):
        experiment = make_experiment(metric="CSAT")
        fill(experiment, LOW, HIGH)
        experiment.conclude(now=START + timedelta(days=7), actor="paula")
        assert experiment.outcome == "winner"
        assert experiment.winner_template_id == "22222222-2222-4222-8222-222222222222"
        assert experiment.p_value is not None
        assert experiment.p_value < 0.05

    def test_lower_is_better_for_latency(self, make_experiment):
        experiment = make_experiment(metric="latency")
        fill(experiment, LOW, HIGH)
        experiment.conclude(now=START + timedelta(days=7), actor="paula")
        assert experiment.winner_template_id == "11111111-1111-4111-8111-111111111111"

    def test_overlapping_samples_conclude_with_no_significant_difference(self, make_experiment):
        experiment = make_experiment()
        fill(experiment, HIGH, list(reversed(HIGH)))
        experiment.conclude(now=START + timedelta(days=7), actor="paula")
        assert experiment.outcome == "no_significant_difference"
        assert experiment.winner_template_id is None
        assert experiment.p_value == pytest.approx(1.0)

    def test_too_few_observations_conclude_with_no_significant_difference(self, make_experiment):
        experiment = make_experiment()
        experiment.record_observation(variant="a", value=5.0)
        experiment.conclude(now=START + timedelta(days=7), actor="paula")
        assert experiment.outcome == "no_significant_difference"
        assert experiment.p_value is None

    def test_the_conclusion_states_its_test_and_significance(self, make_experiment):
        experiment = make_experiment()
        fill(experiment, HIGH, LOW)
        experiment.conclude(now=START + timedelta(days=7), actor="paula")
        concluded = experiment.collect_events()[-1]
        assert isinstance(concluded, PromptExperiment.Concluded)
        assert (concluded.statistical_test, concluded.alpha) == ("welch_t_test", 0.05)
        assert concluded.variants["a"]["count"] == 10

    def test_an_experiment_concludes_only_once(self, make_experiment):
        experiment = make_experiment()
        experiment.conclude(now=START + timedelta(days=7), actor="paula")
        with pytest.raises(InvalidTransition):
            experiment.conclude(now=START + timedelta(days=8), actor="paula")
