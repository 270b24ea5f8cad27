"""Labels point at live template versions and move atomically, as in Langfuse."""

import pytest

from llmops_domain.errors import InvalidTransition, ValidationFailed
from prompt_service.domain import LabelTarget, PromptLabel, TargetNotLive


def target(template_id: str = "t-1", status: str = "live", name: str = "support-reply"):
    return LabelTarget(prompt_template_id=template_id, name=name, status=status)


def production(template_id: str = "t-1") -> PromptLabel:
    return PromptLabel.assign(
        name="support-reply", label="production", target=target(template_id), actor="paula"
    )


class TestLabels:
    def test_a_label_points_at_a_live_version(self):
        label = production()
        assert label.prompt_template_id == "t-1"
        assert label.id == PromptLabel.id_for("support-reply", "production")

    @pytest.mark.parametrize("status", ["draft", "retired"])
    def test_a_label_cannot_point_at_a_version_that_is_not_live(self, status):
        with pytest.raises(TargetNotLive) as refused:
            PromptLabel.assign(
                name="support-reply", label="staging", target=target(status=status), actor="p"
            )
        assert refused.value.code == "template_not_live"

    def test_a_label_cannot_point_at_another_prompts_version(self):
        with pytest.raises(ValidationFailed):
            PromptLabel.assign(
                name="support-reply", label="staging", target=target(name="other"), actor="p"
            )

    @pytest.mark.parametrize("label", ["latest", "", "Has Caps", "x" * 37])
    def test_a_reserved_or_malformed_label_is_refused(self, label):
        with pytest.raises(ValidationFailed):
            PromptLabel.assign(name="support-reply", label=label, target=target(), actor="p")

    def test_moving_a_label_is_one_event_naming_both_versions(self):
        label = production()
        label.collect_events()
        label.move_to(target=target("t-2"), actor="paula")
        (moved,) = label.collect_events()
        assert isinstance(moved, PromptLabel.Moved)
        assert (moved.previous_prompt_template_id, moved.prompt_template_id) == ("t-1", "t-2")

    def test_a_label_cannot_move_to_a_retired_version(self):
        label = production()
        with pytest.raises(TargetNotLive):
            label.move_to(target=target("t-2", status="retired"), actor="paula")
        assert label.prompt_template_id == "t-1"

    def test_moving_to_the_current_version_changes_nothing(self):
        label = production()
        label.collect_events()
        label.move_to(target=target("t-1"), actor="paula")
        assert label.collect_events() == []

    def test_a_removed_label_points_nowhere_and_cannot_be_removed_again(self):
        label = production()
        label.remove(actor="paula")
        assert label.prompt_template_id is None
        with pytest.raises(InvalidTransition):
            label.remove(actor="paula")
