"""Builders shared by the catalog's domain tests."""

from collections.abc import Callable
from typing import Any
from uuid import NAMESPACE_OID, uuid5

import pytest

from catalog_service.domain import EvaluationSummary, ModelVersion
from llmops_testing.builders import arguments

MODEL_CARD = {
    "purpose": "answer support tickets",
    "scope": "English, customer support",
    "contact": "ml-team@example.com",
    "licensing": "Apache-2.0",
}
DATASET_ID = "8c3f8f8e-1111-4b4b-9a9a-000000000001"


def run_id_for(type_: str, status: str = "completed") -> str:
    """The run id `evaluation()` gives a run of this type and status by default."""
    return str(uuid5(NAMESPACE_OID, f"{type_}-{status}"))


# Valid registration arguments, some overridden per test.
_registration = arguments(
    name="support-bot",
    version="1.2.0",
    type="fine-tuned",
    owner_team="ml-platform",
    metadata=MODEL_CARD,
    storage_uri="s3://models/support-bot/1.2.0/",
    lineage_dataset_ids=[DATASET_ID],
    known_dataset_ids={DATASET_ID},
    actor="alice",
)


def _evaluation(
    model: ModelVersion, type_: str, status: str = "completed", **kw: Any
) -> EvaluationSummary:
    """An evaluation run of `model` of the given type."""
    return EvaluationSummary(
        run_id=kw.get("run_id", run_id_for(type_, status)),
        model_version_id=kw.get("model_version_id", str(model.id)),
        type=type_,  # type: ignore[arg-type]
        status=status,
        completed_at=kw.get("completed_at", "2025-11-27T10:00:00+00:00"),
        metrics=kw.get("metrics", {"accuracy": 0.91}),
    )


@pytest.fixture
def draft() -> ModelVersion:
    """A freshly registered draft."""
    return ModelVersion.register(**_registration())


@pytest.fixture
def under_review(draft: ModelVersion) -> ModelVersion:
    """A version submitted for review."""
    draft.submit(actor="alice", reason="ready for review")
    return draft


@pytest.fixture
def approved(under_review: ModelVersion) -> ModelVersion:
    """A version approved on automated and human evidence."""
    under_review.approve(
        reviewer="bob",
        reason="metrics above bar",
        evaluations=[_evaluation(under_review, "automated"), _evaluation(under_review, "human")],
    )
    return under_review


@pytest.fixture
def make_version() -> Callable[..., ModelVersion]:
    """Register a version with some arguments overridden."""
    return lambda **overrides: ModelVersion.register(**_registration(**overrides))


@pytest.fixture
def registration() -> Callable[..., dict[str, Any]]:
    """Valid registration arguments with some overridden."""
    return _registration


@pytest.fixture
def run_id() -> Callable[..., str]:
    """The default run id of an evaluation of a type and status."""
    return run_id_for


@pytest.fixture
def evaluation() -> Callable[..., EvaluationSummary]:
    """An evaluation run of a model: evaluation(model, type, status="completed", **fields)."""
    return _evaluation
