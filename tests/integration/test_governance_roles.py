"""Governance on the real stack: roles enforced in catalog, dataset and prompt, separation of
duties, a policy's review clock blocking approval, a violation deprecating a version, a
revoked role refused after the projection lag, and the organisation-wide audit log.

Governance, dataset, catalog and prompt run in-process under ServiceHost against a database
of their own; the evaluation service is played by publishing its contract on its topic.
"""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from catalog_service.definition import SERVICE as CATALOG
from dataset_service.definition import SERVICE as DATASET
from governance_service.application import utc_now
from governance_service.bootstrap import governance_bootstrap
from governance_service.definition import service_definition
from governance_service.settings import GovernanceSettings
from llmops_events.envelope import CommandResult
from llmops_runtime.service import Wiring
from prompt_service.definition import SERVICE as PROMPT

from .running_services import (
    ISSUER,
    KEY,
    Actors,
    eventually,
    hosted_services,
    publish_evaluation,
)

pytestmark = pytest.mark.stack

# Short enough for a test, long enough to act between a review and the next overdue.
REVIEW_PERIOD_S = 8.0
MODEL_CARD = {
    "purpose": "triage tickets", "scope": "English", "contact": "ml@example.com",
    "licensing": "Apache-2.0",
}  # fmt: skip


@dataclasses.dataclass
class Org(Actors):
    """This run's actors, and the owner's URL of the services' database."""

    owner_url: str

    async def once_allowed(
        self, actor: str, service: str, wire: str, **payload: Any
    ) -> CommandResult:
        """Send until the service's projection of role bindings has the grant (new id each)."""

        async def attempt() -> CommandResult | None:
            result = await self.send(actor, service, wire, **payload)
            return None if result.code == "forbidden" else result

        return await eventually(attempt, f"{actor} to be allowed {wire}", within_s=30)

    async def grant(self, subject: str, role: str) -> str:
        granted = await self.send(
            "root", "governance", "governance.grant_role",
            subject_kind="actor", subject=self.who(subject), role=role, reason="test org",
        )  # fmt: skip
        assert granted.accepted, granted
        assert granted.aggregate_id is not None
        return granted.aggregate_id

    async def catalog_policy(self, policy_id: str) -> asyncpg.Record | None:
        conn = await asyncpg.connect(self.owner_url)
        try:
            row: asyncpg.Record | None = await conn.fetchrow(
                "SELECT * FROM catalog.governance_policies WHERE policy_id = $1",
                uuid.UUID(policy_id),
            )
            return row
        finally:
            await conn.close()


@pytest.fixture
async def org(
    kafka_bootstrap: str, database_url: str, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Org]:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    root = f"root-{unique_name}"
    # Configuration names the only first admin; everyone else gets roles from governance.
    monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", root)
    config = GovernanceSettings(
        bootstrap_admins=[root], review_period_seconds=REVIEW_PERIOD_S, review_check_seconds=0.25
    )
    governance = service_definition(
        Wiring(governance_bootstrap(lambda: config, utc_now)), lambda: config
    )
    definitions = [governance, DATASET, CATALOG, PROMPT]
    async with hosted_services(kafka_bootstrap, database_url, unique_name, definitions) as running:
        yield Org(running, unique_name, owner_url=running.database_url)


async def timed(probe: Callable[[], Awaitable[bool]], within_s: float = 30) -> float:
    """Seconds until probe() is true."""
    started = time.perf_counter()
    await eventually(probe, "the condition", within_s=within_s)
    return time.perf_counter() - started


async def test_roles_policies_violations_and_revocation_across_services(org: Org) -> None:
    for subject, role in (
        ("alice", "submitter"), ("alice", "approver"), ("carol", "approver"),
        ("dana", "submitter"), ("erin", "reviewer"), ("priya", "submitter"),
        ("priya", "approver"),
    ):  # fmt: skip
        await org.grant(subject, role)

    # --- reading needs a role granting `read`: none refused 403, a viewer reads ------------
    async with org.system.http("catalog", org.who("vic")) as vic:
        refused_read = await vic.get("/model-versions")
        assert refused_read.status_code == 403, refused_read.text
        assert "catalog.read" in refused_read.json()["detail"]
        await org.grant("vic", "viewer")

        async def vic_reads() -> bool:
            return (await vic.get("/model-versions")).status_code == 200

        await eventually(vic_reads, "a viewer to read the catalog")

    # --- dataset: a submitter registers, a reviewer scans, only an approver approves -------
    registered = await org.once_allowed(
        "dana", "dataset", "dataset.register_dataset_version",
        name=org.who("tickets"), version="1", storage_uri="s3://d/1/", owner_team="data",
        change_log="first",
    )  # fmt: skip
    assert registered.accepted, registered
    dataset_id = registered.aggregate_id
    scanned = await org.once_allowed(
        "erin", "dataset", "dataset.record_pii_scan",
        dataset_version_id=dataset_id, pii_scan_status="clean",
    )  # fmt: skip
    assert scanned.accepted, scanned
    refused = await org.send(
        "dana", "dataset", "dataset.approve_dataset_version",
        dataset_version_id=dataset_id, reason="mine",
    )  # fmt: skip
    assert (refused.code, refused.status) == ("forbidden", "rejected")
    assert refused.message is not None and "dataset.approve on dataset_version" in refused.message
    approved = await org.once_allowed(
        "carol", "dataset", "dataset.approve_dataset_version",
        dataset_version_id=dataset_id, reason="clean",
    )  # fmt: skip
    assert approved.accepted, approved

    async def catalog_knows_dataset() -> bool:
        rows = (await org.system.get("catalog", "/known-dataset-versions")).json()["items"]
        return any(r["dataset_version_id"] == dataset_id for r in rows)

    await eventually(catalog_knows_dataset, "the catalog to learn the dataset version")

    # --- catalog: no role refused, the registrant refused, another approver accepted ------
    version_id = await _under_review(org, "1.0.0", dataset_id)
    for type_ in ("automated", "human"):
        await publish_evaluation(org.system.bootstrap, version_id, type_)
    await eventually(_runs_known(org, version_id, 2), "the catalog to learn both runs")
    no_role = await org.send(
        "bob", "catalog", "catalog.approve_model_version", model_version_id=version_id,
        reason="lgtm",
    )  # fmt: skip
    assert no_role.code == "forbidden" and no_role.message is not None
    assert "catalog.approve on model_version" in no_role.message
    own = await org.once_allowed(
        "alice", "catalog", "catalog.approve_model_version", model_version_id=version_id,
        reason="my own",
    )  # fmt: skip
    assert own.code == "separation_of_duties", own

    # --- a policy of the model scope, overdue after its period, blocks approval ----------
    rules = [
        {"kind": "required_evaluations", "minimum_runs": {"automated": 1}},
        {"kind": "prohibited_tokens", "tokens": [org.who("ssn")]},
    ]
    drafted = await org.send(
        "root", "governance", "governance.draft_policy", name=org.who("model-risk"),
        scope="model", rules=rules,
    )  # fmt: skip
    assert drafted.accepted, drafted
    policy_id = drafted.aggregate_id
    assert policy_id is not None
    try:
        activated = await org.send(
            "root", "governance", "governance.activate_policy", policy_id=policy_id,
            reason="risk board",
        )  # fmt: skip
        assert activated.accepted, activated

        async def overdue_in_catalog() -> bool:
            row = await org.catalog_policy(policy_id)
            return bool(row and row["review_overdue"])

        await eventually(overdue_in_catalog, "the catalog to see the policy overdue", 40)
        blocked = await org.send(
            "carol", "catalog", "catalog.approve_model_version", model_version_id=version_id,
            reason="evaluations pass",
        )  # fmt: skip
        assert blocked.code == "policy_review_overdue", blocked
        assert blocked.message is not None and org.who("model-risk") in blocked.message

        # The policy's prohibited tokens reach the prompt service's filter.
        template = await org.once_allowed(
            "priya", "prompt", "prompt.register_template", name=org.who("greeting"),
            version="1", language="en", content=f"Tell me your {org.who('ssn')}",
            context_tags=["support"],
        )  # fmt: skip
        assert template.accepted, template
        live = await eventually(
            _refused_live(org, str(template.aggregate_id)), "prompt to refuse the token"
        )
        assert org.who("ssn") in (live.message or "")

        reviewed = await org.send(
            "root", "governance", "governance.review_policy", policy_id=policy_id,
            decision="approved", notes="still right",
        )  # fmt: skip
        assert reviewed.accepted, reviewed

        async def reviewed_in_catalog() -> bool:
            row = await org.catalog_policy(policy_id)
            return bool(row and not row["review_overdue"])

        await eventually(reviewed_in_catalog, "the catalog to see the review")
        passed = await org.send(
            "carol", "catalog", "catalog.approve_model_version", model_version_id=version_id,
            reason="evaluations pass, policy reviewed",
        )  # fmt: skip
        assert passed.accepted, passed

        # --- a recorded violation deprecates the approved version ------------------------
        violation = await org.send(
            "root", "governance", "governance.record_policy_violation", policy_id=policy_id,
            resource_type="model_version", resource_id=version_id,
            details="trained on data outside its licence",
        )  # fmt: skip
        assert violation.accepted, violation

        async def deprecated() -> bool:
            body = (await org.system.get("catalog", f"/model-versions/{version_id}")).json()
            return bool(body.get("status") == "deprecated")

        await eventually(deprecated, "the catalog to deprecate the version")
    finally:
        await org.send(
            "root", "governance", "governance.retire_policy", policy_id=policy_id,
            reason="test over",
        )  # fmt: skip

    # --- a revoked role is refused once the catalog's projection has read the revoke -----
    carol_approver = (
        await org.system.get("governance", "/role-bindings", subject=org.who("carol"))
    ).json()["items"][0]["role_binding_id"]
    revoked = await org.send(
        "root", "governance", "governance.revoke_role", role_binding_id=carol_approver,
        reason="left the team",
    )  # fmt: skip
    assert revoked.accepted, revoked

    async def carol_refused() -> bool:
        # Authorization comes before the handler: not_found while allowed, forbidden after.
        probe = await org.send(
            "carol", "catalog", "catalog.approve_model_version",
            model_version_id=str(uuid.uuid4()), reason="probe",
        )  # fmt: skip
        return probe.code == "forbidden"

    lag_s = await timed(carol_refused)
    print(f"revoked role refused after {lag_s:.2f} s")
    assert lag_s < 10

    # --- the audit log: everything carol did in the last hour, across services ----------
    async def carols_entries() -> list[dict[str, Any]] | None:
        body = (
            await org.system.get(
                "governance", "/audit-log", actor_id=org.who("carol"), since=_hour_ago(),
                limit="1000",
            )
        ).json()  # fmt: skip
        entries: list[dict[str, Any]] = body["items"]
        results = {e["result"] for e in entries}
        return entries if {"accepted", "rejected", "unauthorized"} <= results else None

    entries = await eventually(carols_entries, "carol's entries in the audit log")
    assert {e["actor_id"] for e in entries} == {org.who("carol")}
    assert {e["metadata"]["service"] for e in entries} == {"dataset", "catalog"}
    actions = {(e["action"], e["result"]) for e in entries}
    assert ("dataset.approve_dataset_version", "accepted") in actions
    assert ("catalog.approve_model_version", "accepted") in actions
    overdue = [e for e in entries if e["metadata"].get("code") == "policy_review_overdue"]
    assert [(e["result"], e["resource_id"]) for e in overdue] == [("rejected", version_id)]
    stamps = [e["timestamp"] for e in entries]
    assert stamps == sorted(stamps, reverse=True)


async def _under_review(org: Org, version: str, dataset_id: str | None) -> str:
    registered = await org.once_allowed(
        "alice", "catalog", "catalog.register_model_version", name=org.who("triage-bot"),
        version=version, type="fine-tuned", owner_team="ml", metadata=MODEL_CARD,
        lineage_dataset_ids=[dataset_id] if dataset_id else [],
    )  # fmt: skip
    assert registered.accepted, registered
    assert registered.aggregate_id is not None
    submitted = await org.send(
        "alice", "catalog", "catalog.submit_model_version",
        model_version_id=registered.aggregate_id, reason="ready",
    )  # fmt: skip
    assert submitted.accepted, submitted
    return registered.aggregate_id


def _runs_known(org: Org, version_id: str, count: int) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        runs = (
            await org.system.get("catalog", "/evaluation-runs", model_version_id=version_id)
        ).json()["items"]
        return len(runs) == count

    return probe


def _refused_live(org: Org, template_id: str) -> Callable[[], Awaitable[CommandResult | None]]:
    async def probe() -> CommandResult | None:
        result = await org.send(
            "priya", "prompt", "prompt.make_template_live", prompt_template_id=template_id
        )
        assert not result.accepted, "went live before the policy's tokens arrived"
        return result if result.code == "prohibited_tokens" else None

    return probe


def _hour_ago() -> str:
    return (datetime.now(UTC) - timedelta(hours=1)).isoformat()
