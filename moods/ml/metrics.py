"""Classification metrics from a confusion matrix (rows: true mood, columns: predicted)."""

from __future__ import annotations

import math

import numpy as np

from .network import MOODS


def confusion_matrix(truth, predicted, num_classes: int = len(MOODS)) -> np.ndarray:
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(truth, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1)
    return matrix


def metrics_from_confusion(matrix: np.ndarray, moods=MOODS) -> dict:
    """Accuracy, macro-F1 over the classes present in the truth, per-class recall/precision/F1."""
    matrix = np.asarray(matrix, dtype=np.float64)
    total = matrix.sum()
    true_counts = matrix.sum(axis=1)
    pred_counts = matrix.sum(axis=0)
    diag = np.diag(matrix)
    per_class = {}
    f1s = []
    for i, mood in enumerate(moods):
        if true_counts[i] == 0:
            continue  # a subset dataset: the class is absent and does not enter the macro average
        recall = diag[i] / true_counts[i]
        precision = diag[i] / pred_counts[i] if pred_counts[i] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_class[mood] = {"recall": float(recall), "precision": float(precision), "f1": float(f1),
                           "support": int(true_counts[i])}
    return {
        "accuracy": float(diag.sum() / total) if total else 0.0,
        "macro_f1": float(np.mean(f1s)) if f1s else 0.0,
        "per_class": per_class,
        "confusion_matrix": matrix.astype(np.int64).tolist(),
        "count": int(total),
    }


def predictions_compare(*, truth, predicted, other_predicted) -> dict:
    """Two models on the same faces: on how many their predictions differ, how many only one of
    them gets right, and the exact two-sided
    McNemar p-value (a binomial test on those discordant faces). It tells a real difference from val
    noise far better than comparing two accuracies, because the faces both get right or wrong cancel."""
    truth = np.asarray(truth)
    right = np.asarray(predicted) == truth
    other_right = np.asarray(other_predicted) == truth
    only_this, only_other = int((right & ~other_right).sum()), int((other_right & ~right).sum())
    changed = int((np.asarray(predicted) != np.asarray(other_predicted)).sum())
    discordant = only_this + only_other
    tail = sum(math.comb(discordant, k) for k in range(min(only_this, only_other) + 1))
    return {
        "changed": changed,  # faces whose predicted mood differs, right or wrong
        "only_this_right": only_this,
        "only_other_right": only_other,
        "both_right": int((right & other_right).sum()),
        "both_wrong": int((~right & ~other_right).sum()),
        "mcnemar_p": min(1.0, 2 * tail / 2**discordant),
    }
