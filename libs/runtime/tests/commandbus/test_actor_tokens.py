"""Actor token verification (no broker)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr, ValidationError

from llmops_runtime.auth import AuthSettings, TokenVerifier, issue_token, unverified_subject
from llmops_runtime.auth.settings import IssuerKey
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

    def test_a_plain_key_needs_exactly_one_issuer_to_bind_to(self) -> None:
        for issuers in ([], ["a", "b"]):
            with pytest.raises(ValidationError, match="give each key its issuer"):
                AuthSettings(hs256_keys=[SecretStr(KEY)], issuers=issuers)

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


def rsa_pair() -> tuple[str, str]:
    """A fresh RSA private key and its public key, both PEM."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def bound(issuer: str, key: str) -> IssuerKey:
    return IssuerKey(issuer=issuer, key=SecretStr(key))


def refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(CommandRejected) as raised:
        verifier.verify(token)
    assert raised.value.code == "unauthenticated"
    return raised.value.message


class TestKeysBoundToIssuers:
    def test_rs256_works_beside_hs256(self) -> None:
        private, public = rsa_pair()
        settings = AuthSettings(
            hs256_keys=[bound(ISSUER, KEY)], rs256_public_keys=[bound("idp", public)]
        )
        verifier = TokenVerifier(settings)
        assert verifier.verify(issue_token("hs", KEY, ISSUER)).name == "hs"
        rs = issue_token("rs", private, "idp", algorithm="RS256")
        assert verifier.verify(rs) == verifier.verify(rs)
        assert verifier.verify(rs).issuer == "idp"
        other_private, _ = rsa_pair()
        assert "signature" in refused(
            verifier, issue_token("rs", other_private, "idp", algorithm="RS256")
        )

    def test_a_key_verifies_only_tokens_of_its_own_issuer(self) -> None:
        settings = AuthSettings(hs256_keys=[bound("a", KEY), bound("b", "b" * 40)])
        verifier = TokenVerifier(settings)
        assert verifier.verify(issue_token("x", KEY, "a")).issuer == "a"
        # Signed with a's key but claiming b: a's key must not vouch for b.
        assert "signature" in refused(verifier, issue_token("x", KEY, "b"))
        assert "no HS256 key" in refused(verifier, issue_token("x", KEY, "c"))

    def test_the_json_form_of_the_setting_binds_keys(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([{"issuer": "a", "key": KEY}]))
        verifier = TokenVerifier(AuthSettings())
        assert verifier.verify(issue_token("x", KEY, "a")).name == "x"
        assert "no HS256 key" in refused(verifier, issue_token("x", KEY, ISSUER))

    def test_the_audience_defaults_to_llmops_and_is_required(self) -> None:
        assert AuthSettings().audience == "llmops"
        now = int(time.time())
        claims = {"sub": "x", "iss": ISSUER, "iat": now, "exp": now + 60}
        no_audience = jwt.encode(claims, KEY, algorithm="HS256")
        assert "aud" in refused(verifier(), no_audience)
        assert "Audience" in refused(verifier(), issue_token("x", KEY, ISSUER, audience="other"))
        assert verifier().verify(issue_token("x", KEY, ISSUER)).name == "x"

    def test_other_algorithms_are_refused(self) -> None:
        now = int(time.time())
        claims = {"sub": "x", "iss": ISSUER, "aud": "llmops", "exp": now + 60}
        assert "algorithm" in refused(verifier(), jwt.encode(claims, KEY * 2, algorithm="HS512"))
        unsigned = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
        assert "algorithm" in refused(verifier(), unsigned)

    def test_the_dev_key_never_verifies_a_non_dev_issuer(self, tmp_path: Path) -> None:
        settings = AuthSettings(
            hs256_keys=[bound("prod", "p" * 40)], dev_mode=True, dev_key_path=tmp_path / "key"
        )
        dev_key = settings.symmetric_keys()[-1]
        verifier = TokenVerifier(settings)
        assert verifier.verify(issue_token("me", dev_key, "llmops-dev")).name == "me"
        assert "signature" in refused(verifier, issue_token("me", dev_key, "prod"))


class TestVerifiedTokenCache:
    def test_a_token_verified_once_is_answered_again_without_a_new_check(self) -> None:
        checker = verifier(leeway_s=0)
        token = issue_token("ana", KEY, ISSUER, ttl_s=600)
        first = checker.verify(token)
        assert checker.verify(token) == first
        assert len(checker._verified) == 1

    def test_a_cached_token_past_its_expiry_is_checked_in_full_again(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The full check refuses an expired token (see test_command_bus_auth.py); the
        # cache must hand it back to that check instead of answering it.
        checker = verifier(leeway_s=0)
        token = issue_token("ana", KEY, ISSUER, ttl_s=60)
        full_checks: list[str] = []
        real = checker._verify_fully

        def counted(t: str) -> tuple[object, float]:
            full_checks.append(t)
            return real(t)

        monkeypatch.setattr(checker, "_verify_fully", counted)
        checker.verify(token)
        checker.verify(token)
        assert len(full_checks) == 1
        later = time.time() + 120
        monkeypatch.setattr("llmops_runtime.auth.tokens.time.time", lambda: later)
        checker.verify(token)
        assert len(full_checks) == 2

    def test_a_forged_token_is_never_cached(self) -> None:
        checker = verifier()
        forged = issue_token("ana", "not-the-key-but-long-enough-for-hs256!", ISSUER)
        with pytest.raises(CommandRejected):
            checker.verify(forged)
        assert len(checker._verified) == 0

    def test_the_cache_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("llmops_runtime.auth.tokens.VERIFIED_CACHE_SIZE", 2)
        checker = verifier()
        for actor in ("a", "b", "c"):
            checker.verify(issue_token(actor, KEY, ISSUER))
        assert len(checker._verified) == 2
