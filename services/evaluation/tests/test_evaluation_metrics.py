"""The metrics on small fixed examples, and scoring a run's files (missing, malformed, ...)."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluation_service.scoring.files import ReadLimits
from evaluation_service.scoring.metrics import (
    aggregate,
    exact_match,
    rouge_l,
    score_item,
    sentence_bleu,
    token_f1,
)
from evaluation_service.scoring.scoring import Scored, Unscorable, score_run

from .conftest import PREDICTION_ROWS, SNAPSHOT_ROWS, jsonl

MiB = 1024 * 1024
# pytest's tmp_path is under the system temporary directory, the default readable root.
READABLE = ReadLimits(MiB, (Path(tempfile.gettempdir()),))


class TestMetrics:
    def test_exact_match_ignores_case_punctuation_articles_and_spacing(self) -> None:
        assert exact_match("The  Paris.", "paris") == 1.0
        assert exact_match("Paris, France", "Paris") == 0.0

    def test_token_f1_of_a_partial_overlap(self) -> None:
        # prediction tokens: sky is blue today (4); reference: sky is blue (3); common 3
        # precision 3/4, recall 1 -> F1 = 2 * 0.75 / 1.75
        assert token_f1("sky is blue today", "the sky is blue") == pytest.approx(6 / 7)
        assert token_f1("five", "four") == 0.0
        assert token_f1("", "") == 1.0

    def test_rouge_l_is_the_lcs_f_measure(self) -> None:
        # LCS of "the cat sat" and "the cat sat on": 3; P = 3/3, R = 3/4 -> F = 6/7
        assert rouge_l("the cat sat", "the cat sat on") == pytest.approx(6 / 7)
        assert rouge_l("completely different", "nothing shared") == 0.0

    def test_bleu_is_one_for_an_identical_sentence_and_low_for_a_stranger(self) -> None:
        assert sentence_bleu("the cat sat on the mat", "the cat sat on the mat") == pytest.approx(1)
        assert sentence_bleu("dogs bark", "the cat sat on the mat") < 0.1

    def test_the_aggregate_is_the_mean_of_items_and_the_corpus_bleu(self) -> None:
        items = [score_item("a", "Paris", "paris"), score_item("b", "five", "four")]
        metrics = aggregate(items, ["Paris", "five"], ["paris", "four"])
        assert metrics["exact_match"] == 0.5
        assert metrics["token_f1"] == 0.5
        assert metrics["items"] == 2
        assert 0 <= metrics["corpus_bleu"] <= 100


class TestScoringFiles:
    def test_a_good_pair_of_files_is_scored_item_by_item(
        self, files: Callable[..., tuple[str, str]]
    ) -> None:
        snapshot, predictions = files()
        outcome = score_run(snapshot, predictions, limits=READABLE)
        assert isinstance(outcome, Scored)
        assert [i.item_id for i in outcome.items] == ["q1", "q2", "q3"]
        assert [i.exact_match for i in outcome.items] == [1.0, 0.0, 0.0]
        assert outcome.items[2].token_f1 == pytest.approx(6 / 7, abs=1e-6)
        assert outcome.metrics["exact_match"] == pytest.approx(1 / 3, abs=1e-6)
        digest = hashlib.sha256(Path(snapshot.removeprefix("file://")).read_bytes()).hexdigest()
        assert outcome.snapshot_digest == digest

    def test_a_missing_file_is_a_reason(self, tmp_path: Path) -> None:
        snapshot = jsonl(tmp_path / "s.jsonl", SNAPSHOT_ROWS)
        outcome = score_run(snapshot, (tmp_path / "nope.jsonl").as_uri(), limits=READABLE)
        assert isinstance(outcome, Unscorable)
        assert outcome.reason.startswith("predictions file not found")
        assert outcome.snapshot_digest is not None  # the snapshot was read

    def test_a_malformed_line_is_a_reason_naming_the_line(self, tmp_path: Path) -> None:
        snapshot = jsonl(tmp_path / "s.jsonl", SNAPSHOT_ROWS)
        broken = tmp_path / "p.jsonl"
        broken.write_text('{"id": "q1", "prediction": "x"}\n{not json\n')
        outcome = score_run(snapshot, broken.as_uri(), limits=READABLE)
        assert isinstance(outcome, Unscorable)
        assert outcome.reason.startswith("predictions line 2: not valid JSON")

    @pytest.mark.parametrize(
        ("rows", "reason"),
        [
            ([{"id": 1, "prediction": "x"}], "`id` must be a string"),
            ([{"id": "q1"}], "`prediction` must be a string"),
            ([{"id": "q1", "prediction": "a"}] * 2, "appears twice"),
            ([["q1", "x"]], "not a JSON object"),
            ([], "holds no items"),
        ],
    )
    def test_lines_breaking_the_format_are_reasons(
        self, tmp_path: Path, rows: list[dict[str, object]], reason: str
    ) -> None:
        snapshot = jsonl(tmp_path / "s.jsonl", SNAPSHOT_ROWS)
        outcome = score_run(snapshot, jsonl(tmp_path / "p.jsonl", rows), limits=READABLE)
        assert isinstance(outcome, Unscorable)
        assert reason in outcome.reason

    def test_ids_that_do_not_match_are_named(self, files: Callable[..., tuple[str, str]]) -> None:
        predictions = [*PREDICTION_ROWS[:2], {"id": "q9", "prediction": "?"}]
        outcome = score_run(*files(predictions=predictions), limits=READABLE)
        assert isinstance(outcome, Unscorable)
        assert outcome.reason == (
            "ids do not match: no prediction for 'q3';"
            " predictions for ids not in the snapshot: 'q9'"
        )

    def test_a_file_over_the_bound_is_refused_unread(
        self, files: Callable[..., tuple[str, str]]
    ) -> None:
        outcome = score_run(*files(), limits=ReadLimits(64, READABLE.roots))
        assert isinstance(outcome, Unscorable)
        assert "larger than 64 bytes" in outcome.reason

    def test_files_outside_the_readable_roots_are_refused_even_through_a_link(
        self, tmp_path: Path
    ) -> None:
        snapshot = jsonl(tmp_path / "s.jsonl", SNAPSHOT_ROWS)
        inside = tmp_path / "inside"
        inside.mkdir()
        limits = ReadLimits(MiB, (inside,))
        outside = score_run(snapshot, snapshot, limits=limits)
        assert isinstance(outside, Unscorable)
        assert "outside the directories runs may read" in outside.reason
        assert outside.snapshot_digest is None  # nothing was read
        (inside / "link.jsonl").symlink_to(tmp_path / "s.jsonl")
        linked = score_run((inside / "link.jsonl").as_uri(), snapshot, limits=limits)
        assert isinstance(linked, Unscorable) and "outside the directories" in linked.reason
        hosts = score_run("file:///etc/passwd", snapshot, limits=READABLE)
        assert isinstance(hosts, Unscorable) and "outside the directories" in hosts.reason

    def test_only_local_file_uris_are_read(self, tmp_path: Path) -> None:
        outcome = score_run("s3://bucket/s.jsonl", "file:///p", limits=READABLE)
        assert isinstance(outcome, Unscorable)
        assert "only file:// URIs" in outcome.reason
