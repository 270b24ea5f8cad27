"""Registering dataset versions: fields, lineage to the prior version, deterministic ids."""

import pytest

from dataset_service.domain import DatasetVersion
from llmops_domain.errors import ValidationFailed


class TestRegistration:
    def test_a_first_version_needs_no_prior_version(self, pending):
        assert pending.name == "support-tickets"
        assert pending.version_label == "2025.11.1"
        assert pending.storage_uri == "s3://datasets/support-tickets/2025.11.1/"
        assert pending.owner_team == "data-eng"
        assert pending.change_log == "first export"
        assert pending.previous_version is None

    def test_a_new_version_starts_with_a_pending_pii_scan(self, pending):
        assert pending.pii_scan_status == "pending"

    def test_a_new_version_has_no_quality_score_and_is_not_approved(self, pending):
        assert pending.quality_score is None
        assert pending.approved_at is None

    def test_a_blank_name_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(name="")
        assert "name" in refused.value.field_errors

    @pytest.mark.parametrize("version", ["", "a|b", "-1", "x" * 65])
    def test_a_malformed_version_is_refused(self, make_version, version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(version=version)
        assert "version" in refused.value.field_errors

    def test_a_storage_uri_that_is_not_a_uri_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(storage_uri="/tmp/data")
        assert "storage_uri" in refused.value.field_errors

    def test_a_blank_owner_team_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(owner_team=" ")
        assert "owner_team" in refused.value.field_errors

    def test_a_registration_without_an_actor_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(actor="")
        assert "actor" in refused.value.field_errors


class TestVersionLineage:
    def test_a_new_version_references_the_prior_version_with_a_diff_summary(self, make_version):
        second = make_version(
            version="2025.12.0",
            previous_version="2025.11.1",
            diff_summary="+1,200 tickets from December; dropped spam",
            latest_known_version="2025.11.1",
        )
        assert second.previous_version == "2025.11.1"
        assert second.previous_version_id == str(
            DatasetVersion.id_for("support-tickets", "2025.11.1")
        )
        assert second.diff_summary.startswith("+1,200")

    def test_a_new_version_without_a_diff_summary_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(
                version="2025.12.0", previous_version="2025.11.1", latest_known_version="2025.11.1"
            )
        assert set(refused.value.field_errors) == {"diff_summary"}

    def test_a_new_version_without_a_prior_version_reference_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(version="2025.12.0", diff_summary="more", latest_known_version="2025.11.1")
        assert set(refused.value.field_errors) == {"previous_version"}

    def test_a_new_version_referencing_an_older_version_is_refused(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(
                version="2026.01.0",
                previous_version="2025.11.1",
                diff_summary="more",
                latest_known_version="2025.12.0",
            )
        assert "2025.12.0" in refused.value.field_errors["previous_version"]

    def test_a_first_version_cannot_reference_an_unknown_prior_version(self, make_version):
        with pytest.raises(ValidationFailed) as refused:
            make_version(previous_version="2025.10.0", diff_summary="more")
        assert set(refused.value.field_errors) == {"previous_version"}


class TestDeterministicIds:
    def test_the_id_is_derived_from_name_and_version(self, pending):
        assert pending.id == DatasetVersion.id_for("support-tickets", "2025.11.1")

    def test_a_duplicate_name_and_version_gets_the_same_id(self, make_version):
        # The store refuses the second stream with this id: a duplicate is a conflict.
        assert make_version().id == make_version().id
