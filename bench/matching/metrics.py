"""Pairwise and clustered precision, recall and F1 against a ground-truth cluster column."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def true_pair_count(truth: Sequence[str]) -> int:
    return sum(c * (c - 1) // 2 for c in Counter(truth).values())


def prf(tp: int, predicted: int, actual: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "predicted": predicted,
        "actual": actual,
    }


def pairwise(pairs: Iterable[tuple[int, int]], truth: Sequence[str]) -> dict[str, float]:
    """Scores for a set of predicted pairs of record indices (within one list)."""
    seen = {(min(i, j), max(i, j)) for i, j in pairs if i != j}
    tp = sum(1 for i, j in seen if truth[i] == truth[j])
    return prf(tp, len(seen), true_pair_count(truth))


def clustered(labels: Sequence[object], truth: Sequence[str]) -> dict[str, float]:
    """Scores for the pairs implied by a clustering (every pair within a predicted cluster)."""
    predicted = true_pair_count([str(x) for x in labels])
    both = Counter(zip(labels, truth, strict=True))
    tp = sum(c * (c - 1) // 2 for c in both.values())
    return prf(tp, predicted, true_pair_count(truth))
