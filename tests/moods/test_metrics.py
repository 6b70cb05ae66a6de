"""metrics_from_confusion on a fixed matrix, against numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from moods.ml.metrics import confusion_matrix, metrics_from_confusion

# rows: true angry, happy, neutral, sad; columns: predicted (same order)
MATRIX = np.array([
    [5, 0, 3, 2],   # angry: 10
    [1, 18, 1, 0],  # happy: 20
    [0, 2, 12, 6],  # neutral: 20
    [2, 0, 4, 4],   # sad: 10
])


def test_accuracy_recall_precision_and_f1_by_hand():
    m = metrics_from_confusion(MATRIX)

    assert m["count"] == 60
    assert m["accuracy"] == pytest.approx((5 + 18 + 12 + 4) / 60)  # 39/60 = 0.65
    # angry: recall 5/10, precision 5/8, F1 = 2*(5/8)*(1/2)/((5/8)+(1/2)) = 5/9
    assert m["per_class"]["angry"] == pytest.approx({"recall": 0.5, "precision": 0.625, "f1": 5 / 9, "support": 10})
    # happy: recall 18/20, precision 18/20 -> F1 0.9
    assert m["per_class"]["happy"] == pytest.approx({"recall": 0.9, "precision": 0.9, "f1": 0.9, "support": 20})
    # neutral: recall 12/20, precision 12/20 -> F1 0.6
    assert m["per_class"]["neutral"] == pytest.approx({"recall": 0.6, "precision": 0.6, "f1": 0.6, "support": 20})
    # sad: recall 4/10, precision 4/12, F1 = 2*(1/3)*(2/5)/((1/3)+(2/5)) = 4/11
    assert m["per_class"]["sad"] == pytest.approx({"recall": 0.4, "precision": 1 / 3, "f1": 4 / 11, "support": 10})
    assert m["macro_f1"] == pytest.approx((5 / 9 + 0.9 + 0.6 + 4 / 11) / 4)
    assert m["confusion_matrix"] == MATRIX.tolist()


def test_numbers_are_plain_python_so_they_serialise_anywhere():
    m = metrics_from_confusion(MATRIX)
    for row in m["per_class"].values():
        assert all(type(row[k]) is float for k in ("recall", "precision", "f1"))
    assert type(m["accuracy"]) is float and type(m["macro_f1"]) is float


def test_a_class_absent_from_the_truth_stays_out_of_the_macro_average():
    matrix = np.array([[0, 0, 0, 0], [0, 3, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]])
    m = metrics_from_confusion(matrix)

    assert set(m["per_class"]) == {"happy", "neutral"}
    # happy: r 3/4, p 3/4 -> 0.75; neutral: r 1/2, p 1/2 -> 0.5
    assert m["macro_f1"] == pytest.approx((0.75 + 0.5) / 2)
    assert m["accuracy"] == pytest.approx(4 / 6)


def test_confusion_matrix_counts_pairs():
    got = confusion_matrix([0, 0, 1, 3, 3, 3], [0, 2, 1, 3, 3, 0])
    assert got.tolist() == [[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 2]]
