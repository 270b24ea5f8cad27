"""Aliases point at an approved version of a model and move atomically."""

import pytest

from catalog_service.domain import AliasTarget, AliasTargetNotApproved, ModelAlias
from llmops_domain.errors import InvalidTransition, ValidationFailed


def target(version_id: str = "v-1", status: str = "approved", name: str = "support-bot"):
    return AliasTarget(model_version_id=version_id, name=name, status=status)


def champion(version_id: str = "v-1") -> ModelAlias:
    return ModelAlias.assign(
        name="support-bot", alias="champion", target=target(version_id), actor="bob"
    )


class TestAssigningAnAlias:
    def test_an_alias_points_at_an_approved_version(self):
        assert champion().model_version_id == "v-1"

    def test_the_alias_id_is_derived_from_model_name_and_alias(self):
        assert champion().id == ModelAlias.id_for("support-bot", "champion")

    @pytest.mark.parametrize("status", ["draft", "under_review", "deprecated"])
    def test_an_alias_cannot_point_at_a_version_that_is_not_approved(self, status):
        with pytest.raises(AliasTargetNotApproved) as refused:
            ModelAlias.assign(
                name="support-bot", alias="champion", target=target(status=status), actor="bob"
            )
        assert refused.value.code == "alias_target_not_approved"

    def test_an_alias_cannot_point_at_a_version_of_another_model(self):
        with pytest.raises(ValidationFailed):
            ModelAlias.assign(
                name="support-bot", alias="champion", target=target(name="other"), actor="bob"
            )

    @pytest.mark.parametrize("alias", ["latest", "v3", "", "has space", "x" * 65])
    def test_a_reserved_or_malformed_alias_name_is_refused(self, alias):
        with pytest.raises(ValidationFailed) as refused:
            ModelAlias.assign(name="support-bot", alias=alias, target=target(), actor="bob")
        assert "alias" in refused.value.field_errors


class TestMovingAnAlias:
    def test_moving_is_one_event_naming_both_versions(self):
        alias = champion()
        alias.collect_events()
        alias.move_to(target=target("v-2"), actor="bob")
        (moved,) = alias.collect_events()
        assert isinstance(moved, ModelAlias.Moved)
        assert (moved.previous_model_version_id, moved.model_version_id) == ("v-1", "v-2")
        assert alias.model_version_id == "v-2"

    def test_an_alias_cannot_move_to_a_version_that_is_not_approved(self):
        alias = champion()
        with pytest.raises(AliasTargetNotApproved):
            alias.move_to(target=target("v-2", status="deprecated"), actor="bob")
        assert alias.model_version_id == "v-1"

    def test_moving_to_the_current_version_changes_nothing(self):
        alias = champion()
        alias.collect_events()
        alias.move_to(target=target("v-1"), actor="bob")
        assert alias.collect_events() == []


class TestRemovingAnAlias:
    def test_a_removed_alias_points_nowhere(self):
        alias = champion()
        alias.remove(actor="bob")
        assert alias.model_version_id is None

    def test_a_removed_alias_cannot_be_removed_again(self):
        alias = champion()
        alias.remove(actor="bob")
        with pytest.raises(InvalidTransition):
            alias.remove(actor="bob")

    def test_a_removed_alias_can_be_pointed_again(self):
        alias = champion()
        alias.remove(actor="bob")
        alias.move_to(target=target("v-3"), actor="bob")
        assert alias.model_version_id == "v-3"
