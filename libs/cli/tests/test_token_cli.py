"""`llmops token issue`: dev key for the dev issuer only, a production key only when asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmops_cli.main import app
from llmops_runtime.auth import AuthSettings, TokenVerifier

PRODUCTION_KEY = "p" * 48


@pytest.fixture(autouse=True)
def _local_dev_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMOPS_AUTH_DEV_KEY_PATH", str(tmp_path / "dev-signing-key"))
    for name in ("LLMOPS_TOKEN", "LLMOPS_AUTH_HS256_KEYS", "LLMOPS_AUTH_ISSUERS"):
        monkeypatch.delenv(name, raising=False)


def issue(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["token", "issue", *args])
    return result.exit_code, result.stdout, result.stderr


def test_without_production_keys_the_dev_key_signs_for_the_dev_issuer() -> None:
    code, out, _ = issue("--actor", "ana")
    assert code == 0
    actor = TokenVerifier(AuthSettings(dev_mode=True)).verify(out.strip())
    assert (actor.name, actor.issuer) == ("ana", "llmops-dev")


def test_the_dev_key_never_signs_for_another_issuer() -> None:
    code, out, err = issue("--actor", "ana", "--issuer", "https://idp.example")
    assert code == 2
    assert out == ""
    assert "the dev key signs only for the issuer 'llmops-dev'" in err


def test_a_production_key_signs_only_when_asked_explicitly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "LLMOPS_AUTH_HS256_KEYS", json.dumps([{"issuer": "prod", "key": PRODUCTION_KEY}])
    )
    code, out, err = issue("--actor", "ana")
    assert code == 2
    assert out == ""
    assert "pass --production-key" in err
    code, out, _ = issue("--actor", "ana", "--production-key")
    assert code == 0
    actor = TokenVerifier(AuthSettings()).verify(out.strip())
    assert (actor.name, actor.issuer) == ("ana", "prod")
