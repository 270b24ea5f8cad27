"""Canonical serialization and the chain hash."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from llmops_runtime.eventstore.hashing import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    content_text,
    parse_json,
)


class TestCanonicalJson:
    def test_key_order_and_spacing_do_not_matter(self) -> None:
        assert canonical_json({"b": 1, "a": [1, "x"]}) == canonical_json(
            parse_json('{ "a": [1, "x"],  "b": 1 }')
        )

    def test_a_number_survives_the_way_jsonb_re_renders_it(self) -> None:
        # jsonb prints 1e20 as 100000000000000000000 and 1e-07 as 0.0000001.
        assert canonical_json({"n": 1e20}) == canonical_json(
            parse_json('{"n": 100000000000000000000}')
        )
        assert canonical_json([1e-07, 0.1]) == canonical_json(parse_json("[0.0000001, 0.1]"))

    def test_negative_zero_hashes_like_the_zero_jsonb_stores(self) -> None:
        assert canonical_json({"n": -0.0}) == canonical_json(parse_json('{"n": 0.0}'))
        assert canonical_json([-0.0, 0, 0e-5]) == canonical_json(parse_json("[0, 0.0, -0]"))

    def test_a_number_never_hashes_like_a_string(self) -> None:
        assert canonical_json({"n": 1}) != canonical_json({"n": "1"})
        assert canonical_json(True) != canonical_json(1)


class TestChainHash:
    def test_depends_on_previous_hash_position_time_and_content(self) -> None:
        at = datetime(2026, 1, 1, tzinfo=UTC)
        content = content_text(uuid.uuid4(), uuid.uuid4(), 1, "x.y", 1, {"a": 1}, {})
        base = chain_hash(GENESIS_HASH, 1, at, content)
        assert len(base) == 32
        assert base == chain_hash(GENESIS_HASH, 1, at, content)
        assert base != chain_hash(base, 1, at, content)
        assert base != chain_hash(GENESIS_HASH, 2, at, content)
        assert base != chain_hash(GENESIS_HASH, 1, at.replace(microsecond=1), content)
        assert base != chain_hash(GENESIS_HASH, 1, at, content.replace("1", "2"))
