"""The audit log end to end: commands to catalog and dataset, read back from governance.

The services run in-process under ServiceHost on a database of their own; each publishes its
command audit on its events topic and governance projects every service's topic.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from typer.testing import CliRunner

from catalog_service.definition import SERVICE as CATALOG
from dataset_service.definition import SERVICE as DATASET
from governance_service.definition import SERVICE as GOVERNANCE
from llmops_cli.main import app
from llmops_events.envelope import CommandResult
from llmops_runtime.auth import issue_token

from .running_services import ISSUER, KEY, System, hosted_services

pytestmark = pytest.mark.stack

# Fresh names each run: the audit log of a shared stack keeps every earlier run's entries.
_RUN = uuid.uuid4().hex[:8]
XENA, YANN, ZOE = f"xena-{_RUN}", f"yann-{_RUN}", f"zoe-{_RUN}"
ACTORS = (XENA, YANN, ZOE)
MODEL_CARD = {
    "purpose": "triage tickets",
    "scope": "internal",
    "contact": "ml@example.com",
    "licensing": "MIT",
}


class Stack(System):
    """Catalog, dataset and governance hosts, and the governance audit log over HTTP."""

    @property
    def url(self) -> str:
        return self.database_url

    @property
    def governance_url(self) -> str:
        return f"http://127.0.0.1:{self.hosts['governance'].http_port}"

    async def audit_log(self, **params: str) -> dict[str, Any]:
        response = await self.get("governance", "/audit-log", **params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def running_services(
    kafka_bootstrap: str, database_url: str, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Stack]:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    # Roles are not what this test is about: its actors are bootstrap admins.
    monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", ",".join(ACTORS))
    definitions = [DATASET, CATALOG, GOVERNANCE]
    async with hosted_services(kafka_bootstrap, database_url, unique_name, definitions) as running:
        stack = Stack(running.hosts, running.bootstrap, running.database_url, running.reader)
        stack.clients = running.clients  # stopped with the services
        yield stack


async def register_dataset(stack: Stack, actor: str) -> CommandResult:
    return await stack.send(
        actor, "dataset", "dataset.register_dataset_version",
        name=f"tickets-{uuid.uuid4().hex[:8]}", version="v1", storage_uri="s3://d/tickets/v1",
        owner_team="ml", change_log="first cut",
    )  # fmt: skip


async def wait_for(stack: Stack, count: int, **params: str) -> list[dict[str, Any]]:
    """The entries once `count` of them match (the projection is eventually consistent)."""
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        items = (await stack.audit_log(**params, limit="1000"))["items"]
        if len(items) >= count or asyncio.get_running_loop().time() > deadline:
            return list(items)
        await asyncio.sleep(0.3)


async def test_an_actor_s_commands_to_two_services_are_one_audit_log(
    running_services: Stack,
) -> None:
    stack = running_services
    x, y = XENA, YANN
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    dataset = await register_dataset(stack, x)
    model = await stack.send(
        x, "catalog", "catalog.register_model_version", name=f"bot-{uuid.uuid4().hex[:8]}",
        version="1.0.0", type="base", owner_team="ml", metadata=MODEL_CARD,
    )  # fmt: skip
    missing = uuid.uuid4()
    refused = await stack.send(
        x, "catalog", "catalog.submit_model_version", model_version_id=missing, reason="go"
    )
    other = await register_dataset(stack, y)
    assert dataset.accepted and model.accepted and other.accepted, (dataset, model, other)
    assert refused.status == "rejected"

    entries = await wait_for(stack, 3, actor_id=x, since=since)
    assert [e["metadata"]["command_id"] for e in entries] == [
        refused.command_id,
        model.command_id,
        dataset.command_id,
    ]  # newest first; fmt: skip
    assert {e["metadata"]["service"] for e in entries} == {"catalog", "dataset"}
    assert {e["actor_id"] for e in entries} == {x}
    newest, middle, oldest = entries
    assert (newest["result"], newest["metadata"]["code"]) == ("rejected", refused.code)
    assert (newest["resource_type"], newest["resource_id"]) == ("model_version", str(missing))
    assert (middle["result"], middle["action"]) == ("accepted", "catalog.register_model_version")
    assert (middle["resource_type"], middle["resource_id"]) == ("model_version", model.aggregate_id)
    assert middle["metadata"]["events"] == ["catalog.model_version.registered"]
    assert (oldest["resource_type"], oldest["resource_id"]) == ("version", dataset.aggregate_id)
    timestamps = [datetime.fromisoformat(e["timestamp"]) for e in entries]
    assert timestamps == sorted(timestamps, reverse=True)

    # Paginated: two pages of keyset order give the same entries.
    first = await stack.audit_log(actor_id=x, since=since, limit="2")
    rest = await stack.audit_log(
        actor_id=x, since=since, limit="2", page_token=first["next_page_token"]
    )
    assert [e["id"] for e in first["items"] + rest["items"]] == [e["id"] for e in entries]
    assert rest["next_page_token"] is None

    assert [e["actor_id"] for e in await wait_for(stack, 1, actor_id=y, since=since)] == [y]

    # The CLI reads the same entries, as JSON lines (with a token allowed to read).
    os.environ["LLMOPS_TOKEN"] = issue_token(stack.reader, KEY, ISSUER)
    try:
        cli = await asyncio.to_thread(
        CliRunner().invoke,
            app, ["audit", "log", "--actor", x, "--since", "1h", "--url", stack.governance_url],
        )  # fmt: skip
    finally:
        del os.environ["LLMOPS_TOKEN"]
    assert cli.exit_code == 0, cli.stderr
    assert [json.loads(line)["id"] for line in cli.stdout.splitlines()] == [
        e["id"] for e in entries
    ]


async def test_the_stored_audit_log_refuses_updates_and_deletions(
    running_services: Stack,
) -> None:
    stack = running_services
    actor = ZOE
    assert (await register_dataset(stack, actor)).accepted
    assert len(await wait_for(stack, 1, actor_id=actor)) == 1
    conn = await asyncpg.connect(stack.url)
    try:
        for statement in (
            "UPDATE governance.audit_log SET result = 'rejected' WHERE actor_id = $1",
            "DELETE FROM governance.audit_log WHERE actor_id = $1",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="immutable"):
                await conn.execute(statement, actor)
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM governance.audit_log WHERE actor_id = $1", actor
            )
            == 1
        )
    finally:
        await conn.close()
