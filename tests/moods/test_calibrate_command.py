"""calibrate_mood_model: fits the temperature on labelled faces, writes it beside the weights, and the
detector then serves calibrated probabilities naming the same moods."""

from __future__ import annotations

import io
import json
import logging
import shutil

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from moods.ml.calibration import (
    calibration_load,
    calibration_path,
    expected_calibration_error,
    temperature_apply,
    temperature_fit,
)
from moods.ml.data import dataset_load
from moods.ml.detector import MoodDetector
from moods.ml.errors import WeightsError
from moods.ml.preprocess import arrays_to_batch
from tests.moods.conftest import make_face_folder

pytestmark = pytest.mark.slow  # reads faces with a trained network (tiny_weights)


@pytest.fixture(scope="module")
def val_folder(tmp_path_factory):
    return make_face_folder(tmp_path_factory.mktemp("calib") / "val", {"angry": 30, "happy": 30, "neutral": 30,
                                                                        "sad": 30}, seed=21)


@pytest.fixture
def weights(tiny_weights, tmp_path):
    """A copy of the tiny weights in a folder of its own (the calibration is written beside it)."""
    return shutil.copy(tiny_weights, tmp_path / "tiny.pt")


def _calibrate(*args) -> str:
    out = io.StringIO()
    call_command("calibrate_mood_model", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _served(weights, folder, temperature=None) -> tuple[np.ndarray, np.ndarray]:
    dataset = dataset_load(folder=folder, labels="folder")
    detector = MoodDetector(weights_path=weights, face_detector=False, temperature=temperature)
    return detector.classify_batch(arrays_to_batch(dataset.images)), dataset.labels


def test_the_temperature_is_fitted_written_and_served_without_changing_a_mood(weights, val_folder):
    raw, labels = _served(weights, val_folder, temperature=1.0)

    report = json.loads(_calibrate("--data", str(val_folder), "--labels", "folder", "--weights", str(weights),
                                   "--json"))

    assert report["temperature"] == pytest.approx(temperature_fit(raw, labels))
    assert report["written"] == str(calibration_path(weights)) and calibration_path(weights).is_file()
    assert report["changed_faces"] == 0
    assert report["before"]["ece"] == pytest.approx(expected_calibration_error(raw, labels))
    calibrated, _ = _served(weights, val_folder)  # as the app serves the file now
    np.testing.assert_allclose(calibrated, temperature_apply(raw, report["temperature"]))
    np.testing.assert_array_equal(calibrated.argmax(axis=1), raw.argmax(axis=1))
    assert report["after"]["ece"] == pytest.approx(expected_calibration_error(calibrated, labels))
    assert report["after"]["nll"] <= report["before"]["nll"]
    first, second = report["held_out"]["folds"]
    assert first["fit_faces"] == second["check_faces"] == 60 and first["check_faces"] == second["fit_faces"] == 60
    assert first["temperature"] != report["temperature"] != second["temperature"]  # each fitted on one half
    assert report["held_out"]["ece_after"] == pytest.approx((first["after"]["ece"] + second["after"]["ece"]) / 2)


def test_the_readable_report_and_a_dry_run_that_writes_nothing(weights, val_folder):
    text = _calibrate("--data", str(val_folder), "--labels", "folder", "--weights", str(weights), "--dry-run")

    assert "ECE (15 bins)" in text and "held out" in text and "--dry-run: nothing written" in text
    assert not calibration_path(weights).exists()
    assert MoodDetector(weights_path=weights, face_detector=False).temperature == 1.0


def test_a_calibration_fitted_for_other_weights_is_not_applied(weights, tiny_weights, teacher, val_folder, caplog):
    _calibrate("--data", str(val_folder), "--labels", "folder", "--weights", str(weights))
    assert calibration_load(weights_path=weights) != 1.0
    shutil.copy(teacher, weights)  # the weights are replaced, the old calibration stays beside them

    with caplog.at_level(logging.WARNING, logger="moods.ml.calibration"):
        assert calibration_load(weights_path=weights) == 1.0
    assert "fitted for other weights" in caplog.text


def test_a_broken_calibration_file_is_a_weights_error(weights):
    calibration_path(weights).write_text("{not json")

    with pytest.raises(WeightsError, match="not a usable calibration file"):
        MoodDetector(weights_path=weights, face_detector=False)


def test_bad_data_is_a_clear_command_error(weights, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        _calibrate("--data", str(tmp_path / "nowhere"), "--weights", str(weights))
