"""What the detector answers: a prediction per face, and a detection (the prediction of the largest
face in a photo, with where that face is)."""

from __future__ import annotations

from dataclasses import dataclass

from vexora.moods import MODEL_CLASSES as MOODS  # the net's output order (as network.MOODS), without torch


@dataclass(frozen=True)
class MoodPrediction:
    mood: str
    confidence: float
    probabilities: dict[str, float]  # every mood -> probability; sums to 1


@dataclass(frozen=True)
class MoodDetection:
    prediction: MoodPrediction
    face_box: tuple[int, int, int, int]  # (x1, y1, x2, y2) in the original, EXIF-corrected image
    faces_found: int


def prediction_from_row(row) -> MoodPrediction:
    """One row of class probabilities (in ``MOODS`` order) -> its MoodPrediction."""
    best = int(row.argmax())
    return MoodPrediction(
        mood=MOODS[best],
        confidence=float(row[best]),
        probabilities={mood: float(p) for mood, p in zip(MOODS, row)},
    )
