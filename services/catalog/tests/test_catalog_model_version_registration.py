"""Registering a model version: fields, validation rules and deterministic ids."""

import pytest

from catalog_service.domain import ModelVersion
from llmops_domain.errors import ValidationFailed


class TestRegistration:
    def test_a_valid_registration_creates_a_draft(self, draft):
        assert draft.status == "draft"
        assert draft.name == "support-bot"
        assert draft.version_label == "1.2.0"
        assert draft.type == "fine-tuned"
        assert draft.owner_team == "ml-platform"
        assert draft.storage_uri == "s3://models/support-bot/1.2.0/"
        assert draft.registered_by == "alice"
        assert draft.evaluation_summary == {}

    def test_created_at_and_updated_at_come_from_the_events(self, draft):
        assert draft.created_at == draft.updated_at
        draft.submit(actor="alice", reason="ready")
        assert draft.updated_at > draft.created_at

    def test_storage_uri_may_be_null(self, make_version):
        assert make_version(storage_uri=None).storage_uri is None

    def test_a_storage_uri_that_is_not_a_uri_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(storage_uri="models/bot")
        assert "storage_uri" in refused.value.field_errors

    def test_a_blank_name_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(name=" ")
        assert "name" in refused.value.field_errors

    def test_a_blank_owner_team_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(owner_team="")
        assert "owner_team" in refused.value.field_errors

    def test_an_unknown_type_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(type="proprietary")
        assert "type" in refused.value.field_errors

    @pytest.mark.parametrize("model_type", ["base", "fine-tuned", "external"])
    def test_each_spec_type_is_accepted(self, make_version, model_type):
        assert make_version(type=model_type).type == model_type

    def test_all_field_errors_are_reported_together(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(version="v1", owner_team="", metadata={})
        assert refused.value.code == "validation_failed"
        assert {"version", "owner_team", "metadata.purpose"} <= set(refused.value.field_errors)


class TestSemanticVersion:
    @pytest.mark.parametrize("version", ["0.1.0", "1.2.3", "2.0.0-rc.1", "1.0.0+build.7"])
    def test_a_semantic_version_is_accepted(self, make_version, version):
        assert make_version(version=version).version_label == version

    @pytest.mark.parametrize("version", ["1", "1.2", "v1.2.3", "01.2.3", "1.2.3.4", ""])
    def test_a_version_that_is_not_semver_is_refused(self, make_version, version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(version=version)
        assert "version" in refused.value.field_errors


class TestModelCard:
    @pytest.mark.parametrize("section", ["purpose", "scope", "contact", "licensing"])
    def test_metadata_without_a_required_section_is_refused(self, registration, section):
        args = registration()
        del args["metadata"][section]
        with pytest.raises(ValidationFailed) as refused:
            ModelVersion.register(**args)
        assert refused.value.field_errors == {f"metadata.{section}": "required, a non-empty string"}

    def test_a_blank_required_section_is_refused(self, registration):
        args = registration()
        args["metadata"]["contact"] = "  "
        with pytest.raises(ValidationFailed) as refused:
            ModelVersion.register(**args)
        assert "metadata.contact" in refused.value.field_errors

    def test_extra_model_card_sections_are_kept(self, registration):
        args = registration()
        args["metadata"]["limitations"] = "no medical advice"
        assert ModelVersion.register(**args).metadata["limitations"] == "no medical advice"


class TestLineage:
    def test_lineage_names_dataset_versions_the_service_has_seen(self, draft):
        assert draft.lineage_dataset_ids == ["8c3f8f8e-1111-4b4b-9a9a-000000000001"]

    def test_lineage_with_an_unseen_dataset_version_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(lineage_dataset_ids=["never-seen"])
        assert refused.value.field_errors == {
            "lineage.dataset_ids": "unknown dataset versions: never-seen"
        }

    def test_repeated_dataset_ids_are_kept_once(self, make_version):
        dataset_id = "8c3f8f8e-1111-4b4b-9a9a-000000000001"
        version = make_version(lineage_dataset_ids=[dataset_id, dataset_id])
        assert version.lineage_dataset_ids == [dataset_id]


class TestDeterministicIds:
    def test_the_id_is_derived_from_name_type_and_version(self, draft):
        assert draft.id == ModelVersion.id_for("support-bot", "fine-tuned", "1.2.0")

    def test_a_duplicate_name_type_and_version_gets_the_same_id(self, make_version):
        # The store refuses the second stream with this id: a duplicate is a conflict.
        assert make_version().id == make_version().id

    def test_another_type_with_the_same_name_and_version_is_another_version(self, make_version):
        assert make_version(type="base").id != make_version(type="fine-tuned").id

    def test_another_version_gets_another_id(self, make_version):
        assert make_version(version="1.2.1").id != make_version(version="1.2.0").id
