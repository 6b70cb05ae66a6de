"""music.track_moods.predict_track_moods: the shipped model's interface (Django-free, numpy only)."""

import json
import subprocess
import sys

import pytest

from music.track_moods import FEATURES, MODEL_PATH, TrackMoodModel, load_model, predict_track_moods
from vexora.moods import MOODS

BRIGHT = {"valence": 0.95, "energy": 0.85, "danceability": 0.85, "acousticness": 0.05, "instrumentalness": 0.0,
          "loudness": -4.0, "tempo": 124.0, "speechiness": 0.05, "liveness": 0.1, "mode": 1, "key": 0}
QUIET = {"valence": 0.35, "energy": 0.08, "danceability": 0.3, "acousticness": 0.97, "instrumentalness": 0.92,
         "loudness": -28.0, "tempo": 70.0, "speechiness": 0.04, "liveness": 0.1, "mode": 1, "key": 2}
HARSH = {"valence": 0.1, "energy": 0.99, "danceability": 0.3, "acousticness": 0.0, "instrumentalness": 0.3,
         "loudness": -3.0, "tempo": 180.0, "speechiness": 0.12, "liveness": 0.3, "mode": 0, "key": 5}


def _top(probabilities):
    return max(probabilities, key=probabilities.get)


def test_one_probability_per_mood_summing_to_one_per_track():
    results = predict_track_moods([BRIGHT, QUIET, HARSH])
    assert len(results) == 3
    for probabilities in results:
        assert list(probabilities) == list(MOODS)
        assert sum(probabilities.values()) == pytest.approx(1.0)
        assert all(0 < p < 1 for p in probabilities.values())


def test_bright_quiet_and_harsh_tracks_get_the_expected_moods():
    bright, quiet, harsh = predict_track_moods([BRIGHT, QUIET, HARSH])
    assert _top(bright) == "happy" and _top(quiet) == "neutral" and _top(harsh) == "angry"


@pytest.mark.parametrize("track", [{}, {"valence": None}, {"energy": "loud"}, {"tempo": float("nan")},
                                   {"valence": 0.2, "unknown": 3}, {"key": float("inf"), "mode": None}])
def test_missing_or_unusable_features_are_imputed_not_fatal(track):
    (probabilities,) = predict_track_moods([track])
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_a_missing_feature_counts_as_the_training_median():
    model = load_model()
    median = {name: float(value) for name, value in zip(model.features, model.impute)}
    without = {key: value for key, value in BRIGHT.items() if key != "acousticness"}
    assert predict_track_moods([without]) == predict_track_moods([{**without, "acousticness": median["acousticness"]}])


def test_no_track_no_answer():
    assert predict_track_moods([]) == []


def test_the_shipped_model_is_small_data_covering_every_feature():
    document = json.loads(MODEL_PATH.read_text())
    assert MODEL_PATH.stat().st_size < 100_000
    assert document["features"] == list(FEATURES)
    assert set(document["steps"]) <= set(FEATURES) and {"valence", "energy"} <= set(document["steps"])
    assert document["fit"]["held_out"]["tracks"] > 300  # the figures docs/music.md reports


def test_a_document_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="not a track mood model"):
        TrackMoodModel.from_dict({"format": "something else"})


@pytest.mark.slow  # a fresh interpreter
def test_the_module_needs_neither_django_nor_scikit_learn():
    code = ("import sys; from music.track_moods import predict_track_moods; "
            "predict_track_moods([{'valence': 0.5}]); "
            "print(sorted(m for m in ('django', 'sklearn') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": ".", "PATH": ""})
    assert result.stdout.strip() == "[]"


def test_objects_with_feature_attributes_are_read_like_dicts():
    class Track:
        valence, energy, acousticness = 0.95, 0.85, 0.05

    assert predict_track_moods([Track()]) == predict_track_moods([{"valence": 0.95, "energy": 0.85,
                                                                   "acousticness": 0.05}])
