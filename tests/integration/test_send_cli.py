"""`llmops send` on bad input: one clear line on stderr, exit 2, no traceback, nothing sent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Nothing listens here: a send that got as far as connecting would hang or fail differently.
UNREACHABLE = {
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",
    "DATABASE_URL": "postgresql://x@127.0.0.1:9/x",
}
REGISTER = "dataset.register_dataset_version"


def send(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "-m", "llmops_cli.main", "send", *args, "--timeout", "5"],
        env={**base, "LLMOPS_HOME": str(home), **(env or {})},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def assert_refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    """Exit 2, one line on stderr naming the problem, nothing on stdout, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("{bad", "not valid JSON"),
        ('{"name": ', "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ("@/nonexistent/payload.json", "cannot read --data file"),
    ],
)
def test_invalid_json_is_refused_in_one_line(tmp_path: Path, data: str, expected: str) -> None:
    assert_refused(send(tmp_path, "dataset", REGISTER, "--data", data, env=UNREACHABLE), expected)


def test_an_unknown_service_is_refused_naming_the_installed_ones(tmp_path: Path) -> None:
    result = send(tmp_path, "nosuch", "nosuch.do_it", env=UNREACHABLE)
    assert_refused(result, "unknown service 'nosuch'", "dataset")


def test_an_unknown_command_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    result = send(tmp_path, "dataset", "dataset.delete_everything", env=UNREACHABLE)
    assert_refused(result, "unknown command 'dataset.delete_everything'", REGISTER)


def test_no_running_stack_is_refused_saying_how_to_start_one(tmp_path: Path) -> None:
    result = send(tmp_path, "dataset", REGISTER, "--data", "{}")
    assert_refused(result, "no stack", "llmops dev up")
