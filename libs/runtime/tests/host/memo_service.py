"""A minimal hosted test service (memos) that the host tests share, migrated like a real one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

import pytest
from eventsourcing.domain import Aggregate, event
from pydantic import BaseModel

from llmops_runtime.auth import issue_token
from llmops_runtime.commands import CommandRegistry, HandlerContext
from llmops_runtime.service import (
    ServiceDefinition,
    ServiceHost,
    ServiceResources,
    migrate_services,
    settings_for,
)

KEY = "memo-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-memo-tests"


class Memo(Aggregate):
    """A memo with a text: the hosted test aggregate."""

    class Written(Aggregate.Created):
        wire_name: ClassVar[str] = "memo_test.memo.written"
        text: str

    @event(Written)
    def __init__(self, text: str) -> None:
        self.text = text


class WriteMemo(BaseModel):
    """Write a memo."""

    WIRE_NAME: ClassVar[str] = "memo_test.write_memo"
    text: str


def build_commands(resources: ServiceResources) -> CommandRegistry:
    """The memo service's one command."""
    registry = CommandRegistry()

    @registry.handles(WriteMemo)
    async def write(cmd: WriteMemo, ctx: HandlerContext) -> Sequence[Aggregate]:
        return [Memo(cmd.text)]

    return registry


def use_memo_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make hosts started after this accept tokens from memo_token()."""
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))


def memo_token(actor: str = "ana") -> str:
    """A token the memo service accepts."""
    return issue_token(actor, KEY, ISSUER)


async def migrated_memo_host(
    name: str, database_url: str, kafka_bootstrap: str, **settings: Any
) -> ServiceHost:
    """A host of the memo service on a migrated schema, running as the service's own role."""
    definition = ServiceDefinition(
        name=name,
        version="1.0.0",
        event_classes=[Memo],
        build_commands=build_commands,
        build_routers=lambda _: [],
        command_contracts=[WriteMemo],
    )
    urls = await migrate_services(database_url, [definition])
    return ServiceHost(
        definition,
        settings_for(
            name, database_url=urls[name], kafka_bootstrap_servers=kafka_bootstrap, **settings
        ),
    )
