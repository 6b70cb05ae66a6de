"""The shipped weights are served calibrated: the temperature beside them was fitted for exactly
these weights, and the served probabilities are the network's own, tempered."""

from __future__ import annotations

import json

import numpy as np
from django.conf import settings

from moods.ml.calibration import calibration_path, temperature_apply, weights_sha256
from moods.ml.classifier import Classifier
from moods.ml.preprocess import faces_to_batch
from tests.moods.conftest import ASTRONAUT


def test_the_shipped_calibration_belongs_to_the_shipped_weights(detector):
    blob = json.loads(calibration_path(settings.MOOD_WEIGHTS_PATH).read_text())

    assert blob["weights_sha256"] == weights_sha256(settings.MOOD_WEIGHTS_PATH)
    assert detector.temperature == blob["temperature"] != 1.0


def test_the_served_probabilities_are_the_networks_tempered_and_name_the_same_moods(detector):
    from PIL import Image

    work = detector.prepare(Image.open(ASTRONAUT)).work
    crop = detector.crop_face(work, detector.find_faces(work)[0])
    batch = faces_to_batch([crop, crop.rotate(15), crop.convert("L").resize((48, 48)), Image.new("L", (48, 48), 90)])
    plain = Classifier(detector.ensemble, bf16=detector.classifier.bf16, temperature=1.0)(batch)

    served = detector.classify_batch(batch)

    np.testing.assert_allclose(served, temperature_apply(plain, detector.temperature), rtol=1e-12)
    np.testing.assert_array_equal(served.argmax(axis=1), plain.argmax(axis=1))
    assert not np.allclose(served, plain)
