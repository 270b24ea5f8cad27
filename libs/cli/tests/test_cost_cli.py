"""`llmops cost import-billing` refuses a feed it cannot send before it reaches Kafka."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from llmops_cli.main import app
from llmops_events.cost import MAX_FEED_CHARS

runner = CliRunner()


def test_a_missing_file_is_refused_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    result = runner.invoke(app, ["cost", "import-billing", str(missing)])
    assert result.exit_code == 2
    assert f"cannot read {missing}" in result.output


def test_a_feed_over_the_contract_size_is_refused_unsent(tmp_path: Path) -> None:
    feed = tmp_path / "big.csv"
    feed.write_text("BilledCost\n" + "1\n" * (MAX_FEED_CHARS // 2))
    result = runner.invoke(app, ["cost", "import-billing", str(feed)])
    assert result.exit_code == 2
    assert "at most 900,000 characters" in result.output


def test_a_feed_not_in_utf8_is_refused(tmp_path: Path) -> None:
    feed = tmp_path / "latin1.csv"
    feed.write_bytes("BilledCost,ResourceId\n1,caf\xe9\n".encode("latin-1"))
    result = runner.invoke(app, ["cost", "import-billing", str(feed)])
    assert result.exit_code == 2
    assert "is not a UTF-8 feed" in result.output
