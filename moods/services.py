"""Mood services: the entry points the API, the HTML views and the management commands use.

- ``get_detector()``: the process-wide MoodDetector, created on first use from the settings.
- ``mood_image_detect``: the detector's answer for one picture, its errors mapped to the API's.
- ``mood_detect``: selfie -> mood -> tracks -> history entry (flagged uncertain below
  settings.MOOD_CONFIDENCE_THRESHOLD, ``mood_uncertain``).

Cheap to import, and importable before ``django.setup()`` (tools outside the project use
``get_detector``): torch is loaded when the detector is first created, and the other apps' services
(which need their models) are imported inside ``mood_detect``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext
from PIL import Image

from moods.ml.detector import MoodDetector
from moods.ml.errors import ImageError, NoFaceDetected, UnreadableImage, WeightsError
from moods.ml.images import WORK_MAX_SIDE
from moods.ml.results import MoodDetection, MoodPrediction
from vexora.errors import InvalidInput, ServiceUnavailable, strategy_checked
from vexora.images import image_open_checked

if TYPE_CHECKING:
    from history.models import HistoryEntry
    from music.models import Track

__all__ = [
    "FaceNotFound",
    "MoodDetectResult",
    "MoodDetection",
    "MoodDetector",
    "MoodPrediction",
    "NoFaceDetected",
    "UnreadableImage",
    "detector_warm",
    "get_detector",
    "mood_detect",
    "mood_detect_steps",
    "mood_image_detect",
    "mood_uncertain",
]

logger = logging.getLogger(__name__)

_detector: MoodDetector | None = None
_detector_lock = threading.Lock()


class FaceNotFound(InvalidInput):
    """The API's answer (400) to the detector's NoFaceDetected."""

    default_message = NoFaceDetected.default_message


def get_detector() -> MoodDetector:
    """The process-wide detector, created on first use from the settings (thread-safe):
    MOOD_WEIGHTS_PATH, TORCH_THREADS, IMAGE_MAX_PIXELS, MOOD_BF16.

    Raises ServiceUnavailable (503) when the weights cannot be loaded (the reason is logged); a
    later call tries again.
    """
    global _detector
    detector = _detector
    if detector is not None:
        return detector
    with _detector_lock:
        if _detector is None:
            try:
                _detector = MoodDetector(
                    weights_path=settings.MOOD_WEIGHTS_PATH,
                    threads=settings.TORCH_THREADS,
                    max_pixels=settings.IMAGE_MAX_PIXELS,
                    bf16=settings.MOOD_BF16,
                )
            except WeightsError as exc:
                logger.error("mood model unavailable: %s", exc)
                raise ServiceUnavailable(gettext("mood detection is not available right now")) from exc
        return _detector


def mood_image_detect(*, image) -> MoodDetection:
    """The detection of ``image`` (``moods.inference``: in this process or on an inference worker,
    settings.MOOD_INFERENCE) with the model's errors as the API's: FaceNotFound (400) for
    no face, InvalidInput (400) for an unreadable picture or too many pixels, ServiceUnavailable
    (503) without a model."""
    from moods.inference import inference_detect  # this process's model, or an inference worker

    try:
        return inference_detect(image)
    except NoFaceDetected as exc:
        raise FaceNotFound(str(exc)) from exc
    except ImageError as exc:
        raise InvalidInput(str(exc)) from exc


def mood_uncertain(*, confidence: float) -> bool:
    """Whether a reading is too unsure to stand without the person's say (settings.MOOD_CONFIDENCE_THRESHOLD)."""
    return confidence < settings.MOOD_CONFIDENCE_THRESHOLD


@dataclass(frozen=True)
class MoodDetectResult:
    """What one detection produced: the stored history entry (mood, confidence, probabilities,
    strategy, created_at, uuid), the recommended tracks in order, the raw detection (face box), and
    whether the reading is uncertain (confidence below settings.MOOD_CONFIDENCE_THRESHOLD)."""

    entry: HistoryEntry
    tracks: list[Track]
    detection: MoodDetection
    uncertain: bool
    widened: bool = False  # the listener's liked genres could not fill the list (music.recommender)

    @property
    def mood(self) -> str:
        return self.entry.mood


def mood_detect(*, user, image, strategy: str = "match") -> MoodDetectResult:
    """Reads the mood of the largest face in ``image`` and answers with music
    (``mood_detect_steps`` run to the end)."""
    *_, result = mood_detect_steps(user=user, image=image, strategy=strategy)
    return result


def mood_detect_steps(*, user, image, strategy: str = "match") -> Iterator[str | MoodDetectResult]:
    """``mood_detect`` one step at a time, for a page that shows its progress: yields "face" once
    the image is read and checked (finding the face and reading its mood comes next), "songs" once
    the mood is read (picking songs and recording the entry come next), then the
    ``MoodDetectResult`` as the last item. Errors are raised where they happen: a bad image or
    strategy before the first item.

    ``image``: an upload (Django ``UploadedFile``, binary file or bytes), checked by content with
    ``vexora.images.image_open_checked`` (PNG or JPEG, at most settings.MOOD_UPLOAD_MAX_BYTES and
    settings.SELFIE_MAX_PIXELS; a bigger picture is decoded at a reduced scale, never below the
    detector's work size), or a PIL image already checked by the caller.
    ``strategy``: "match" or "uplift" (music.recommender).

    Steps: ``mood_image_detect`` -> ``recommend_tracks`` leaving out the tracks of the user's last 3
    entries (and respecting their taste, ``music.taste``) -> ``history_record`` (the entry and its tracks in one transaction). The selfie itself
    is never stored: no file is written and nothing of it reaches the database.

    Raises InvalidInput (400: no image, unknown strategy, damaged image, ``FaceNotFound``),
    UnsupportedMediaType (415), PayloadTooLarge (413), ServiceUnavailable (503: no model). Nothing
    is recorded when it raises.
    """
    from history.selectors import RECENT_ENTRIES_NOT_REPEATED, history_recent_track_ids
    from history.services import RECOMMENDATION_SIZE, history_record
    from music.recommender import recommendation_make
    from music.services import tracks_attach_covers
    from music.taste import taste_get

    if image is None:
        raise InvalidInput(gettext("image is required"), errors={"image": [gettext("this field is required")]})
    strategy_checked(strategy)
    if not isinstance(image, Image.Image):
        image = image_open_checked(upload=image, max_bytes=settings.MOOD_UPLOAD_MAX_BYTES,
                                   max_pixels=settings.SELFIE_MAX_PIXELS, min_long_side=WORK_MAX_SIDE)
    yield "face"
    detection = mood_image_detect(image=image)
    prediction = detection.prediction
    yield "songs"
    recommendation = recommendation_make(
        mood=prediction.mood, strategy=strategy, limit=RECOMMENDATION_SIZE,
        exclude_ids=history_recent_track_ids(user=user, entries=RECENT_ENTRIES_NOT_REPEATED),
        taste=taste_get(user=user),
    )
    tracks = recommendation.tracks
    entry = history_record(user=user, mood=prediction.mood, confidence=prediction.confidence,
                           probabilities=prediction.probabilities, strategy=strategy, tracks=tracks)
    # Covers (Spotify, when configured) after the entry is safe: a Spotify fault only means placeholders.
    tracks_attach_covers(tracks=tracks)
    yield MoodDetectResult(entry=entry, tracks=tracks, detection=detection,
                           uncertain=mood_uncertain(confidence=prediction.confidence),
                           widened=recommendation.widened)


def detector_warm() -> None:
    """Loads the detector now (at a server process's start) and runs the face finder and the mood
    net once on a blank picture, so the first scan waits for neither. A failure is logged; the first
    detection then reports it (503)."""
    try:
        detector = get_detector()
        blank = Image.new("RGB", (640, 480), (128, 128, 128))
        try:
            detector.detect(blank)
        except NoFaceDetected:
            pass
        detector.classify_faces([blank.resize((48, 48))])
    except Exception:
        logger.exception("the mood model could not be loaded at start-up")
