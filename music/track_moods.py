"""Audio features -> the probability of each mood, from the track mood model shipped in
``music/data/track_moods.json`` (fit by ``manage.py fit_track_moods``; see docs/music.md).

Plain Python and numpy (no Django, no scikit-learn): the model is gradient-boosted stumps (one-split
trees), which add up to one step function per feature and mood, stored as thresholds and values
and evaluated here with a binary search per feature (116k tracks in well under a second).

    from music.track_moods import predict_track_moods
    predict_track_moods([{"valence": 0.3, "energy": 0.4, "acousticness": 0.6}])
    # -> [{"happy": p, "sad": p, "angry": p, "neutral": p}]   (sums to 1)

A missing, ``None``, non-numeric or non-finite feature is imputed with the training median, so any
dict (even an empty one) gets an answer.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vexora.moods import MOODS

MODEL_PATH = Path(__file__).resolve().parent / "data" / "track_moods.json"
MODEL_FORMAT = "vexora-track-moods/stumps-1"
# Spotify's audio-feature names, in the model's column order.
FEATURES: tuple[str, ...] = ("valence", "energy", "danceability", "acousticness", "instrumentalness", "loudness",
                             "tempo", "speechiness", "liveness", "mode", "key")


@dataclass(frozen=True)
class TrackMoodModel:
    """Gradient-boosted stumps folded into one step function per feature: a track's raw score for
    each mood is ``baseline`` plus, for every feature, ``steps[f][b]`` where ``b`` counts the
    feature's ``thresholds[f]`` below the track's value. The softmax of the scores divided by
    ``temperature`` gives the probabilities."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    impute: np.ndarray             # per feature: the training median
    baseline: np.ndarray           # per class
    temperature: float             # calibration (fit on out-of-fold scores)
    thresholds: tuple[np.ndarray, ...]  # per feature: ascending split points
    steps: tuple[np.ndarray, ...]       # per feature: (len(thresholds) + 1, classes) score contributions
    metadata: dict

    @classmethod
    def from_dict(cls, data: Mapping) -> TrackMoodModel:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a track mood model ({data.get('format')!r}, expected {MODEL_FORMAT!r})")
        classes = tuple(data["classes"])
        if sorted(classes) != sorted(MOODS):
            raise ValueError(f"the model's classes {classes} are not the moods {MOODS}")
        features = tuple(data["features"])
        thresholds, steps = [], []
        for name in features:
            table = data["steps"].get(name, {"thresholds": [], "values": [[0.0] * len(classes)]})
            thresholds.append(np.array(table["thresholds"], dtype=np.float64))
            steps.append(np.array(table["values"], dtype=np.float64).reshape(len(table["thresholds"]) + 1,
                                                                              len(classes)))
        return cls(
            classes=classes, features=features,
            impute=np.array([data["impute"][name] for name in features], dtype=np.float64),
            baseline=np.array(data["baseline"], dtype=np.float64),
            temperature=float(data["temperature"]),
            thresholds=tuple(thresholds), steps=tuple(steps),
            metadata=dict(data.get("fit", {})),
        )

    def matrix(self, tracks: Iterable[Mapping]) -> np.ndarray:
        """The feature matrix of ``tracks`` (dicts keyed by feature name, or objects with those
        attributes, such as a Track), medians imputed."""
        rows = [[_number(track.get(name) if isinstance(track, Mapping) else getattr(track, name, None))
                 for name in self.features] for track in tracks]
        X = np.array(rows, dtype=np.float64).reshape(len(rows), len(self.features))
        missing = np.isnan(X)
        if missing.any():
            X[missing] = np.broadcast_to(self.impute, X.shape)[missing]
        return X

    def raw_scores(self, X: np.ndarray) -> np.ndarray:
        """(tracks, classes) raw scores."""
        scores = np.broadcast_to(self.baseline, (len(X), len(self.classes))).copy()
        for column, (thresholds, steps) in enumerate(zip(self.thresholds, self.steps)):
            scores += steps[np.searchsorted(thresholds, X[:, column], side="left")]
        return scores

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """(tracks, classes) calibrated probabilities, in ``self.classes`` order."""
        scores = self.raw_scores(X) / self.temperature
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


_model: TrackMoodModel | None = None
_lock = threading.Lock()


def load_model(path: Path | str | None = None) -> TrackMoodModel:
    """The shipped model (read once per process), or the one at ``path`` (read each time)."""
    global _model
    if path is not None:
        return TrackMoodModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    if _model is None:
        with _lock:
            if _model is None:
                _model = TrackMoodModel.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    return _model


def predict_mood_matrix(tracks: Iterable[Mapping], *, model: TrackMoodModel | None = None) -> np.ndarray:
    """(tracks, 4) probabilities with columns in ``vexora.moods.MOODS`` order."""
    model = model or load_model()
    probabilities = model.probabilities(model.matrix(list(tracks)))
    return probabilities[:, [model.classes.index(mood) for mood in MOODS]]


def predict_track_moods(tracks: Iterable[Mapping], *, model: TrackMoodModel | None = None) -> list[dict[str, float]]:
    """One ``{"happy": p, "sad": p, "angry": p, "neutral": p}`` (summing to 1) per track dict,
    keyed by Spotify's audio-feature names (``FEATURES``; others are ignored, missing ones imputed)."""
    matrix = predict_mood_matrix(tracks, model=model)
    return [dict(zip(MOODS, (float(p) for p in row))) for row in matrix]
