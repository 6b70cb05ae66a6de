"""The mood detector: find the largest face in a photo (MTCNN) and read its mood (our CNN).

Plain PyTorch + Pillow + numpy: the caller passes the settings in (weights path, threads, bf16,
max pixels) and gets this package's own errors (``moods.ml.errors``); moods.services owns the
process-wide detector and maps those errors to the API's.

Importing this module is cheap: torch, numpy and facenet-pytorch are imported when a detector is
created, so Django can start (and unrelated management commands can run) without loading torch.

Pipeline of ``MoodDetector.detect(image)``:

1. ``images.image_prepare``: open, orient (EXIF), scale down, convert to RGB: the work image.
2. ``faces.FaceFinder.find``: MTCNN on a small copy; boxes in the work image's coordinates.
3. ``faces.face_crop``: the largest face as a square framed like FER2013's crops, then
   ``classify_faces``: the shared preprocessing (``preprocess.faces_to_batch``) and the served
   ensemble (``classifier.Classifier``: flip-averaged, calibrated probabilities).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PIL import Image

from .errors import NoFaceDetected
from .faces import Box, FaceFinder, face_crop, largest_box
from .images import Prepared, box_to_original, image_prepare
from .results import MoodDetection, MoodPrediction, prediction_from_row

# OpenMP's wait policy is left to libgomp's default (spin briefly, then sleep): fastest on idle
# cores. Where the cores are oversubscribed (several workers, other jobs), set OMP_WAIT_POLICY=PASSIVE
# and TORCH_THREADS=1 in the environment: spinning threads on busy cores cost far more
# (docs/mood-model.md).


class MoodDetector:
    """Loads the mood weights and facenet's MTCNN (weights shipped inside the package: no network).

    Safe to share between threads: the models are only read, and a lock serialises the model calls
    (decoding, resizing and cropping run in parallel; one request can be in MTCNN while another is
    in the CNN). With several threads on shared cores the lock costs no measurable throughput, and it
    keeps the number of busy torch threads, and the latency of each call, predictable.

    Raises WeightsError (with a readable reason) when the weights cannot be loaded.
    """

    def __init__(self, *, weights_path: str | Path, threads: int = 0, max_pixels: int | None = None,
                 bf16: bool | None = None, temperature: float | None = None, face_detector: bool = True):
        """``threads`` > 0: ``torch.set_num_threads``; ``max_pixels``: bigger pictures are refused
        from their header; ``bf16``: None decides from the CPU; ``temperature``: None takes the one
        fitted for these weights (``calibration.calibration_load``: the file beside them, else 1),
        1 serves uncalibrated probabilities. ``face_detector=False`` defers loading MTCNN to the
        first ``detect`` (classification-only users such as evaluate_mood_model never pay for it)."""
        import torch

        from .calibration import calibration_load
        from .classifier import Classifier
        from .weights import weights_load

        if threads and threads > 0:
            torch.set_num_threads(int(threads))
        self.weights_path = Path(weights_path)
        self.max_pixels = max_pixels
        self.ensemble = weights_load(path=self.weights_path)
        if temperature is None:
            temperature = calibration_load(weights_path=self.weights_path)
        self.classifier = Classifier(self.ensemble, bf16=bf16, temperature=temperature)
        self._lock = threading.Lock()
        self._faces = FaceFinder(lock=self._lock, load_now=face_detector)

    # --- public interface -------------------------------------------------------------------

    @property
    def temperature(self) -> float:
        return self.classifier.temperature

    @property
    def threads(self) -> int:
        import torch

        return torch.get_num_threads()

    def classify_faces(self, images: list[Image.Image]) -> list[MoodPrediction]:
        """Face crops (any mode, any size; framed like FER2013) -> one prediction each, one batch."""
        from .preprocess import faces_to_batch

        images = list(images)
        if not images:
            return []
        if not all(isinstance(img, Image.Image) for img in images):
            raise TypeError("classify_faces takes a list of PIL images")
        return [prediction_from_row(row) for row in self.classify_batch(faces_to_batch(images))]

    def classify_arrays(self, arrays) -> list[MoodPrediction]:
        """Stacked 48x48 uint8 faces (as ``preprocess.face_to_array`` makes them) -> predictions."""
        from .preprocess import arrays_to_batch

        if len(arrays) == 0:
            return []
        return [prediction_from_row(row) for row in self.classify_batch(arrays_to_batch(arrays))]

    def classify_batch(self, batch):
        """The net's input tensor (N, 1, 48, 48) in [0, 1] -> (N, len(MOODS)) float64 probabilities."""
        with self._lock:
            return self.classifier(batch)

    def detect(self, image) -> MoodDetection:
        """The mood of the largest face in ``image`` (bytes, a binary file or a PIL image).

        Raises NoFaceDetected, UnreadableImage or ImageTooLarge (``moods.ml.errors``)."""
        prepared = self.prepare(image)
        boxes = self.find_faces(prepared.work)
        if not boxes:
            raise NoFaceDetected()
        box = largest_box(boxes)
        prediction = self.classify_faces([self.crop_face(prepared.work, box)])[0]
        return MoodDetection(prediction=prediction, face_box=box_to_original(box, prepared),
                             faces_found=len(boxes))

    # --- the steps (public so bench_mood can time them) -------------------------------------

    def prepare(self, image) -> Prepared:
        return image_prepare(image, max_pixels=self.max_pixels)

    def find_faces(self, work: Image.Image) -> list[Box]:
        return self._faces.find(work)

    @staticmethod
    def crop_face(work: Image.Image, box: Box) -> Image.Image:
        return face_crop(work, box)
