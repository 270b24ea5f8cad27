"""Builders shared by the dataset service's domain tests."""

from collections.abc import Callable

import pytest

from dataset_service.domain import DatasetVersion
from llmops_testing.builders import builder

# Valid registration arguments of a first version, some overridden per test.
make_registered = builder(
    DatasetVersion.register,
    name="support-tickets",
    version="2025.11.1",
    storage_uri="s3://datasets/support-tickets/2025.11.1/",
    owner_team="data-eng",
    change_log="first export",
    previous_version=None,
    diff_summary=None,
    latest_known_version=None,
    actor="dana",
)


@pytest.fixture
def make_version() -> Callable[..., DatasetVersion]:
    """Register a version with some arguments overridden."""
    return make_registered


@pytest.fixture
def pending(make_version: Callable[..., DatasetVersion]) -> DatasetVersion:
    """A first version, its PII scan pending."""
    return make_version()


@pytest.fixture
def clean(pending: DatasetVersion) -> DatasetVersion:
    """A version with a clean PII scan and a quality score."""
    pending.record_pii_scan(status="clean", actor="scanner", notes="0 findings")
    pending.record_quality_score(score=87.5, actor="dq-bot")
    return pending


@pytest.fixture
def approved(clean: DatasetVersion) -> DatasetVersion:
    """An approved version: an immutable snapshot."""
    clean.approve(actor="erin", reason="ready for evaluation")
    return clean
