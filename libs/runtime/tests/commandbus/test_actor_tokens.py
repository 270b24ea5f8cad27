"""Actor token verification (no broker)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from llmops_runtime.auth import AuthSettings, TokenVerifier, issue_token, unverified_subject
from llmops_runtime.commands import CommandRejected

KEY = "k" * 40
ISSUER = "llmops-tests"


def verifier(**settings: object) -> TokenVerifier:
    return TokenVerifier(AuthSettings(hs256_keys=[SecretStr(KEY)], issuers=[ISSUER], **settings))  # type: ignore[arg-type]


class TestVerify:
    def test_a_valid_token_names_its_actor(self) -> None:
        actor = verifier().verify(issue_token("alice", KEY, ISSUER, roles=("admin",)))
        assert (actor.name, actor.issuer, actor.roles) == ("alice", ISSUER, ("admin",))

    @pytest.mark.parametrize(
        "bad",
        [
            None,
            "",
            "garbage",
            issue_token("alice", "x" * 40, ISSUER),
            issue_token("alice", KEY, ISSUER, ttl_s=-60),
            issue_token("alice", KEY, "other-issuer"),
        ],
    )
    def test_bad_tokens_are_unauthenticated(self, bad: str | None) -> None:
        with pytest.raises(CommandRejected) as raised:
            verifier().verify(bad)
        assert raised.value.code == "unauthenticated"

    def test_a_rotated_key_is_still_accepted(self) -> None:
        old = "o" * 40
        rotated = TokenVerifier(
            AuthSettings(hs256_keys=[SecretStr(KEY), SecretStr(old)], issuers=[ISSUER])
        )
        assert rotated.verify(issue_token("bob", old, ISSUER)).name == "bob"

    def test_without_an_accepted_issuer_nothing_is_accepted(self) -> None:
        with pytest.raises(CommandRejected):
            TokenVerifier(AuthSettings(hs256_keys=[SecretStr(KEY)])).verify(
                issue_token("a", KEY, ISSUER)
            )

    def test_the_claimed_subject_is_readable_for_the_audit(self) -> None:
        forged = issue_token("mallory", "x" * 40, ISSUER)
        assert unverified_subject(forged) == "mallory"
        with pytest.raises(CommandRejected) as raised:
            verifier().verify(forged)
        assert raised.value.claimed_actor == "mallory"


class TestDevMode:
    def test_dev_mode_accepts_the_generated_local_key(self, tmp_path: Path) -> None:
        settings = AuthSettings(dev_mode=True, dev_key_path=tmp_path / "key")
        [key] = settings.symmetric_keys()
        assert (tmp_path / "key").stat().st_mode & 0o077 == 0
        actor = TokenVerifier(settings).verify(issue_token("me", key, "llmops-dev"))
        assert actor.name == "me"

    def test_without_dev_mode_no_key_is_built_in(self) -> None:
        assert AuthSettings().symmetric_keys() == []
