"""Applying ACLs with the Kafka Admin API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient

from llmops_runtime.security.acl_protocol import CreateAcls
from llmops_runtime.security.acls import AclBinding


async def create_acls(bootstrap: str, bindings: Sequence[AclBinding], **sasl: Any) -> None:
    """Create every binding (idempotent on the broker); raise on the first refusal."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **sasl)
    await admin.start()
    try:
        response = await admin._send_to_controller(CreateAcls(list(bindings)))
    finally:
        await admin.close()
    failed = [(e, m) for e, m, _ in response.results if e != 0]
    if failed:
        raise RuntimeError(f"creating ACLs failed: {failed}")
