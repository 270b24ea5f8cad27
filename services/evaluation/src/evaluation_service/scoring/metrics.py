"""Exact match, token F1 (SQuAD-style), ROUGE-L (rouge-score) and BLEU (sacrebleu)."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

import sacrebleu
from rouge_score import rouge_scorer

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)
_ROUGE = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)


def normalize(text: str) -> str:
    """Lowercase, without punctuation, articles and extra whitespace (the SQuAD answer form)."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split())


def exact_match(prediction: str, reference: str) -> float:
    """1.0 when the normalized texts are equal, else 0.0."""
    return float(normalize(prediction) == normalize(reference))


def token_f1(prediction: str, reference: str) -> float:
    """F1 of the normalized tokens' multiset overlap; 1.0 when both are empty."""
    predicted, expected = normalize(prediction).split(), normalize(reference).split()
    if not predicted or not expected:
        return float(predicted == expected)
    common = sum((Counter(predicted) & Counter(expected)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F-measure (longest common subsequence of tokens)."""
    return float(_ROUGE.score(reference, prediction)["rougeL"].fmeasure)


def sentence_bleu(prediction: str, reference: str) -> float:
    """sacrebleu's smoothed sentence BLEU (case-insensitive, as the other metrics), in 0-1."""
    return float(sacrebleu.sentence_bleu(prediction, [reference], lowercase=True).score) / 100.0


@dataclass(frozen=True)
class ItemMetrics:
    """The four metrics of one item, each 0-1."""

    item_id: str
    exact_match: float
    token_f1: float
    rouge_l: float
    bleu: float


def score_item(item_id: str, prediction: str, reference: str) -> ItemMetrics:
    """Every metric of one prediction against its reference."""
    return ItemMetrics(
        item_id,
        exact_match(prediction, reference),
        round(token_f1(prediction, reference), 6),
        round(rouge_l(prediction, reference), 6),
        round(min(1.0, sentence_bleu(prediction, reference)), 6),
    )


def aggregate(
    items: Sequence[ItemMetrics], predictions: Sequence[str], references: Sequence[str]
) -> dict[str, float | int]:
    """Means over items of EM, F1, ROUGE-L and sentence BLEU; corpus BLEU (0-100) over all."""
    corpus = sacrebleu.corpus_bleu(list(predictions), [list(references)], lowercase=True).score
    return {
        "exact_match": round(fmean(i.exact_match for i in items), 6),
        "token_f1": round(fmean(i.token_f1 for i in items), 6),
        "rouge_l": round(fmean(i.rouge_l for i in items), 6),
        "bleu": round(fmean(i.bleu for i in items), 6),
        "corpus_bleu": round(float(corpus), 4),
        "items": len(items),
    }
