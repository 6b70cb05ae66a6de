"""classify_faces(): one batch, one prediction per face crop, in order, through the shared preprocessing."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageOps

from moods.ml.network import MOODS
from moods.ml.preprocess import face_to_array
from moods.services import MoodPrediction


@pytest.fixture(scope="module")
def crops(detector):
    """Face crops of various sizes and modes, cut from the portrait the way detect() cuts them."""
    from tests.moods.conftest import ASTRONAUT

    work = detector.prepare(Image.open(ASTRONAUT)).work
    crop = detector.crop_face(work, detector.find_faces(work)[0])
    return [
        crop,
        ImageOps.mirror(crop),
        crop.convert("L"),
        crop.resize((48, 48)),
        crop.resize((300, 300)),
        crop.rotate(20),
        Image.new("L", (48, 48), 128),
    ]


def test_one_prediction_per_face_each_a_distribution(detector, crops):
    predictions = detector.classify_faces(crops)

    assert len(predictions) == len(crops)
    for prediction in predictions:
        assert isinstance(prediction, MoodPrediction)
        assert list(prediction.probabilities) == list(MOODS)
        assert sum(prediction.probabilities.values()) == pytest.approx(1.0, abs=1e-9)
        assert prediction.mood in MOODS
        assert prediction.confidence == max(prediction.probabilities.values())
        assert prediction.confidence >= 1 / len(MOODS)


def test_a_batch_gives_what_each_face_gives_alone_in_the_same_order(detector, crops):
    together = detector.classify_faces(crops)
    alone = [detector.classify_faces([crop])[0] for crop in crops]
    reversed_batch = detector.classify_faces(crops[::-1])[::-1]

    for a, b, c in zip(together, alone, reversed_batch):
        assert a.mood == b.mood == c.mood
        for mood in MOODS:
            assert a.probabilities[mood] == pytest.approx(b.probabilities[mood], abs=1e-3)
            assert a.probabilities[mood] == pytest.approx(c.probabilities[mood], abs=1e-3)


def test_a_face_and_its_mirror_image_get_the_same_probabilities(detector, crops):
    # The ensemble averages each face with its mirror image, so mirroring changes nothing.
    face, mirrored = detector.classify_faces(crops[:2])
    for mood in MOODS:
        assert face.probabilities[mood] == pytest.approx(mirrored.probabilities[mood], abs=2e-3)


def test_crops_go_through_the_training_preprocessing(detector, crops):
    # classify_faces(PIL crops) == classify_arrays(face_to_array(crop)), the arrays training uses.
    from_images = detector.classify_faces(crops)
    from_arrays = detector.classify_arrays(np.stack([face_to_array(c) for c in crops]))
    assert from_images == from_arrays


def test_an_empty_list_gives_an_empty_list(detector):
    assert detector.classify_faces([]) == []


def test_things_that_are_not_images_are_refused(detector):
    with pytest.raises(TypeError):
        detector.classify_faces([b"not an image"])


def test_sixteen_bit_crops_are_scaled_not_clipped(detector, crops):
    grey = crops[0].convert("L")
    sixteen = Image.fromarray(np.asarray(grey, dtype=np.uint16) * 257)
    assert sixteen.mode == "I;16"
    assert np.array_equal(face_to_array(sixteen), face_to_array(grey))
