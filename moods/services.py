"""Mood services: the entry points the API, the HTML views and the management commands use.

Cheap to import: torch is only loaded when the detector is first used (``get_detector()``).
"""

from __future__ import annotations

from moods.ml.detector import (
    MoodDetection,
    MoodDetector,
    MoodPrediction,
    NoFaceDetected,
    UnreadableImage,
    get_detector,
)

__all__ = [
    "MoodDetection",
    "MoodDetector",
    "MoodPrediction",
    "NoFaceDetected",
    "UnreadableImage",
    "get_detector",
]


# --- mood_detect: selfie -> mood -> tracks -> history entry ------------------------------------
# history and music (models) are imported inside mood_detect: importing this module must keep
# working before django.setup() (tools outside the project use get_detector) and stay cheap.
from dataclasses import dataclass  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from PIL import Image  # noqa: E402

from vexora.errors import InvalidInput, strategy_checked  # noqa: E402

if TYPE_CHECKING:
    from history.models import HistoryEntry
    from music.models import Track


@dataclass(frozen=True)
class MoodDetectResult:
    """What one detection produced: the stored history entry (mood, confidence, probabilities,
    strategy, created_at, uuid), the recommended tracks in order, and the raw detection (face box)."""

    entry: HistoryEntry
    tracks: list[Track]
    detection: MoodDetection

    @property
    def mood(self) -> str:
        return self.entry.mood


def mood_detect(*, user, image, strategy: str = "match") -> MoodDetectResult:
    """Reads the mood of the largest face in ``image`` and answers with music.

    ``image``: an upload (Django ``UploadedFile``, binary file or bytes), checked by content with
    ``vexora.images.image_open_checked`` (PNG or JPEG, at most settings.MOOD_UPLOAD_MAX_BYTES), or
    a PIL image already checked by the caller. ``strategy``: "match" or "uplift" (music.recommender).

    Steps: detect (``get_detector().detect``) -> ``recommend_tracks`` leaving out the tracks of the
    user's last 3 entries -> ``history_record`` (the entry and its tracks in one transaction). The
    selfie itself is never stored: no file is written and nothing of it reaches the database.

    Raises InvalidInput (400: no image, unknown strategy, damaged image, ``NoFaceDetected``),
    UnsupportedMediaType (415), PayloadTooLarge (413), ServiceUnavailable (503: no model). Nothing
    is recorded when it raises.
    """
    from django.conf import settings

    from history.selectors import RECENT_ENTRIES_NOT_REPEATED, history_recent_track_ids
    from history.services import RECOMMENDATION_SIZE, history_record
    from moods.inference import inference_detect
    from music.recommender import recommend_tracks
    from music.services import tracks_attach_covers
    from vexora.images import image_open_checked

    if image is None:
        raise InvalidInput("image is required", errors={"image": ["this field is required"]})
    strategy_checked(strategy)
    if not isinstance(image, Image.Image):
        image = image_open_checked(upload=image, max_bytes=settings.MOOD_UPLOAD_MAX_BYTES)
    detection = inference_detect(image)  # moods.inference: this process or an inference worker
    prediction = detection.prediction
    tracks = recommend_tracks(
        mood=prediction.mood, strategy=strategy, limit=RECOMMENDATION_SIZE,
        exclude_ids=history_recent_track_ids(user=user, entries=RECENT_ENTRIES_NOT_REPEATED),
    )
    entry = history_record(user=user, mood=prediction.mood, confidence=prediction.confidence,
                           probabilities=prediction.probabilities, strategy=strategy, tracks=tracks)
    # Covers (Spotify, when configured) after the entry is safe: a Spotify fault only means placeholders.
    tracks_attach_covers(tracks=tracks)
    return MoodDetectResult(entry=entry, tracks=tracks, detection=detection)


__all__ += ["MoodDetectResult", "mood_detect"]
