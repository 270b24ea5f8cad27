"""PII scans, quality scores, approval, and the immutability of an approved snapshot."""

import pytest

from dataset_service.domain import ImmutableSnapshot, PiiScanNotClean
from llmops_domain.errors import ValidationFailed


class TestPiiScan:
    @pytest.mark.parametrize("status", ["pending", "clean", "failed"])
    def test_each_scan_status_is_recorded(self, pending, status):
        pending.record_pii_scan(status=status, actor="scanner")
        assert pending.pii_scan_status == status

    def test_an_unknown_scan_status_is_refused(self, pending):
        with pytest.raises(ValidationFailed) as refused:
            pending.record_pii_scan(status="mostly-clean", actor="scanner")
        assert "pii_scan_status" in refused.value.field_errors

    def test_a_failed_scan_can_be_followed_by_a_clean_rescan(self, pending):
        pending.record_pii_scan(status="failed", actor="scanner", notes="3 emails")
        pending.record_pii_scan(status="clean", actor="scanner", notes="redacted")
        assert pending.pii_scan_status == "clean"


class TestQualityScore:
    @pytest.mark.parametrize("score", [0, 42, 99.5, 100])
    def test_a_score_between_0_and_100_is_recorded(self, pending, score):
        pending.record_quality_score(score=score, actor="dq-bot")
        assert pending.quality_score == score

    @pytest.mark.parametrize("score", [-0.1, 100.01, float("nan"), float("inf")])
    def test_a_score_outside_0_to_100_is_refused(self, pending, score):
        with pytest.raises(ValidationFailed) as refused:
            pending.record_quality_score(score=score, actor="dq-bot")
        assert "quality_score" in refused.value.field_errors

    def test_a_boolean_score_is_refused(self, pending):
        with pytest.raises(ValidationFailed):
            pending.record_quality_score(score=True, actor="dq-bot")


class TestApproval:
    def test_a_clean_version_is_approved_and_approved_at_is_set(self, clean):
        clean.approve(actor="erin", reason="ready")
        assert clean.approved
        assert clean.approved_at is not None
        assert clean.approved_by == "erin"

    def test_approval_is_refused_while_the_scan_is_pending(self, pending):
        with pytest.raises(PiiScanNotClean) as refused:
            pending.approve(actor="erin", reason="ready")
        assert refused.value.code == "pii_scan_not_clean"
        assert pending.approved_at is None

    def test_approval_is_refused_after_a_failed_scan(self, pending):
        pending.record_pii_scan(status="failed", actor="scanner")
        with pytest.raises(PiiScanNotClean) as refused:
            pending.approve(actor="erin", reason="ready")
        assert refused.value.field_errors == {"pii_scan_status": "is failed, must be clean"}

    def test_the_approval_announces_an_immutable_snapshot(self, clean):
        clean.collect_events()
        clean.approve(actor="erin", reason="ready")
        (announced,) = clean.collect_events()
        assert announced.wire_name == "dataset.version.approved"
        assert announced.immutable_snapshot is True
        assert announced.storage_uri == clean.storage_uri
        assert announced.pii_scan_status == "clean"
        assert announced.quality_score == 87.5
        assert announced.approved_at == announced.timestamp.isoformat()

    def test_approval_without_an_actor_is_refused(self, clean):
        with pytest.raises(ValidationFailed):
            clean.approve(actor="", reason="ready")


class TestImmutableSnapshot:
    def test_a_scan_of_an_approved_version_is_refused(self, approved):
        with pytest.raises(ImmutableSnapshot) as refused:
            approved.record_pii_scan(status="failed", actor="scanner")
        assert refused.value.code == "immutable_snapshot"
        assert approved.pii_scan_status == "clean"

    def test_a_quality_score_of_an_approved_version_is_refused(self, approved):
        with pytest.raises(ImmutableSnapshot):
            approved.record_quality_score(score=10, actor="dq-bot")
        assert approved.quality_score == 87.5

    def test_a_change_log_amendment_of_an_approved_version_is_refused(self, approved):
        with pytest.raises(ImmutableSnapshot):
            approved.amend_change_log(change_log="rewritten", actor="dana")
        assert approved.change_log == "first export"

    def test_a_second_approval_is_refused(self, approved):
        with pytest.raises(ImmutableSnapshot):
            approved.approve(actor="erin", reason="again")

    def test_the_change_log_can_be_amended_before_approval(self, clean):
        clean.amend_change_log(change_log="first export, deduplicated", actor="dana")
        assert clean.change_log == "first export, deduplicated"
