"""Calibration maths: the expected calibration error on cases worked out by hand, temperature scaling
that never changes the predicted mood, and a fit that finds a known temperature."""

from __future__ import annotations

import numpy as np
import pytest

from moods.ml.calibration import (
    expected_calibration_error,
    reliability_table,
    temperature_apply,
    temperature_fit,
)


def test_ece_of_a_tiny_case_by_hand():
    probs = [
        [0.90, 0.05, 0.03, 0.02],  # right, confidence 0.90: bin (0.867, 0.933]
        [0.90, 0.05, 0.03, 0.02],  # wrong, same bin: accuracy 0.5 there, |0.5 - 0.9| = 0.4
        [0.10, 0.60, 0.20, 0.10],  # right, 0.60 = 9/15 closes bin (0.533, 0.600]: |1 - 0.6| = 0.4
        [0.35, 0.30, 0.20, 0.15],  # right, bin (0.333, 0.400]: |1 - 0.35| = 0.65
    ]
    labels = [0, 1, 1, 0]

    # 2/4 * 0.4 + 1/4 * 0.4 + 1/4 * 0.65
    assert expected_calibration_error(probs, labels) == pytest.approx(0.4625)
    table = reliability_table(probs, labels)
    assert [(round(row["low"] * 15), row["count"], row["accuracy"]) for row in table] == [(5, 1, 1.0), (8, 1, 1.0),
                                                                                          (13, 2, 0.5)]


def test_a_calibrated_bin_has_no_error_and_certainty_lands_in_the_last_bin():
    probs = [[0.75, 0.25, 0, 0]] * 4 + [[1.0, 0, 0, 0]]
    labels = [0, 0, 0, 1, 0]  # 3 of the 4 at 75% right; the certain one right

    assert expected_calibration_error(probs, labels) == pytest.approx(0.0)
    assert reliability_table(probs, labels)[-1]["high"] == 1.0


def test_temperature_scaling_keeps_the_mood_and_sums_to_one():
    probs = np.random.default_rng(0).dirichlet(np.ones(4), size=200)

    np.testing.assert_array_equal(temperature_apply(probs, 1.0), probs)
    for temperature in (0.5, 1.3, 4.0):
        scaled = temperature_apply(probs, temperature)
        np.testing.assert_array_equal(scaled.argmax(axis=1), probs.argmax(axis=1))
        np.testing.assert_allclose(scaled.sum(axis=1), 1.0)
    assert np.all(temperature_apply(probs, 2.0).max(axis=1) <= probs.max(axis=1) + 1e-12)  # T > 1: less sure
    assert np.all(temperature_apply(probs, 0.5).max(axis=1) >= probs.max(axis=1) - 1e-12)  # T < 1: surer


def test_the_fit_finds_the_temperature_that_generated_the_labels():
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 3, size=(20000, 4))
    served = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)  # overconfident...
    truth = temperature_apply(served, 1.7)  # ... the moods really follow softmax(logits / 1.7)
    labels = np.array([rng.choice(4, p=row) for row in truth])

    temperature = temperature_fit(served, labels)

    assert temperature == pytest.approx(1.7, abs=0.06)
    assert expected_calibration_error(temperature_apply(served, temperature), labels) < \
        expected_calibration_error(served, labels) / 3
