"""The dev stack gives its services a checkpoint key that `llmops audit verify` reads too."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmops_cli.operator import checkpoint_key
from llmops_cli.supervisor import stack_environment
from llmops_devstack import StackInfo


def test_services_and_verify_share_a_generated_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMOPS_HOME", str(tmp_path))
    monkeypatch.delenv("LLMOPS_AUDIT_CHECKPOINT_KEY", raising=False)
    assert checkpoint_key() is None
    info = StackInfo("127.0.0.1:1", "postgresql://x@127.0.0.1:1/x", "external")
    first = stack_environment(info, "catalog", 8101)["LLMOPS_AUDIT_CHECKPOINT_KEY"]
    again = stack_environment(info, "dataset", 8102)["LLMOPS_AUDIT_CHECKPOINT_KEY"]
    assert len(first) >= 32
    assert first == again == checkpoint_key()
    assert (tmp_path / "audit-checkpoint-key").stat().st_mode & 0o077 == 0


def test_a_configured_key_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLMOPS_HOME", str(tmp_path))
    monkeypatch.setenv("LLMOPS_AUDIT_CHECKPOINT_KEY", "k" * 40)
    info = StackInfo("127.0.0.1:1", "postgresql://x@127.0.0.1:1/x", "external")
    assert stack_environment(info, "catalog", 8101)["LLMOPS_AUDIT_CHECKPOINT_KEY"] == "k" * 40
    assert checkpoint_key() == "k" * 40
