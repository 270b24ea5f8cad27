"""`llmops audit log`: options become /audit-log filters; bad input is one line and exit 2."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from llmops_cli.audit_log import BadInput, parse_resource, parse_time, query
from llmops_cli.main import app

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


class TestOptions:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1h", NOW - timedelta(hours=1)),
            ("30m", NOW - timedelta(minutes=30)),
            ("2d", NOW - timedelta(days=2)),
            ("2026-12-01T08:00:00+01:00", datetime(2026, 12, 1, 7, 0, tzinfo=UTC)),
            ("2026-12-01T08:00:00", datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ],
    )
    def test_since_is_a_duration_ago_or_an_iso_time(self, text: str, expected: datetime) -> None:
        assert parse_time("--since", text, NOW) == expected

    def test_a_resource_is_type_and_id_a_type_or_an_id(self) -> None:
        some = uuid.uuid4()
        assert parse_resource(f"model_version:{some}") == {
            "resource_type": "model_version",
            "resource_id": str(some),
        }
        assert parse_resource("dataset_version") == {"resource_type": "dataset_version"}
        assert parse_resource(str(some)) == {"resource_id": str(some)}

    def test_every_option_becomes_a_filter(self) -> None:
        params = query("xena", "policy", "unauthorized", "1h", "10m", NOW)
        assert params == {
            "actor_id": "xena",
            "resource_type": "policy",
            "result": "unauthorized",
            "since": (NOW - timedelta(hours=1)).isoformat(),
            "until": (NOW - timedelta(minutes=10)).isoformat(),
        }

    def test_until_before_since_is_refused(self) -> None:
        with pytest.raises(BadInput, match="before"):
            query(None, None, None, "10m", "1h", NOW)


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "yesterday"],
        ["--until", "soon"],
        ["--result", "deleted"],
        ["--resource", ":"],
        ["--limit", "0"],
        ["--actor", "x" * 201],
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["audit", "log", "--url", "http://127.0.0.1:1", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("llmops audit log: ")


def test_a_service_that_does_not_answer_is_one_line_and_exit_1() -> None:
    result = CliRunner().invoke(app, ["audit", "log", "--url", "http://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "does not answer" in result.stderr
