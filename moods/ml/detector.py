"""The mood detector: find the largest face in a photo (MTCNN) and read its mood (our CNN).

Importing this module is cheap: torch, numpy and facenet-pytorch are imported inside the code that
needs them, so Django can start (and unrelated management commands can run) without loading torch.

Pipeline of ``MoodDetector.detect(image)``:

1. Open (bytes) and turn the right way up (EXIF orientation). Big JPEGs are decoded at a reduced
   scale (JPEG draft mode) and any picture whose longest side is above ``WORK_MAX_SIDE`` is scaled
   down: the "work" image. Every mode (RGBA, LA, P, CMYK, L, I;16 ...) becomes 8-bit RGB.
2. Face detection on a small copy whose shorter side is ``DETECT_SHORT_SIDE`` pixels, looking for
   faces at least ``MIN_FACE_FRACTION`` of that side (selfies have big faces; this keeps MTCNN's
   image pyramid short). Boxes are mapped back to the work image and to the original image.
3. The largest face is cropped as a square framed like FER2013's crops (measured: MTCNN's box is
   ~80% of a FER crop's width and ~104% of its height, centred), then classified through the shared
   preprocessing (``preprocess.faces_to_batch``) and the ensemble (flip-averaged probabilities).
"""

from __future__ import annotations

import io
import logging
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from vexora.errors import InvalidInput, ServiceUnavailable

logger = logging.getLogger(__name__)

# OpenMP's wait policy is left to libgomp's default (spin briefly, then sleep): on an idle 2-core
# machine detect() took a median 27 ms with it against 47-55 ms with OMP_WAIT_POLICY=PASSIVE. Where
# the cores are oversubscribed (several workers, other jobs), set OMP_WAIT_POLICY=PASSIVE and
# TORCH_THREADS=1 in the environment: spinning threads on busy cores cost far more (see
# docs/mood-model.md).

# Pictures are scaled down to this longest side before anything else (a 48x48 crop needs no more).
WORK_MAX_SIDE = 1280
# Face detection runs on a copy whose shorter side is this many pixels ...
DETECT_SHORT_SIDE = 240
# ... and looks for faces at least this fraction of that side (24 px): a face that fills ~10% of
# the frame's width (7.5% of a landscape photo's width) is still found.
MIN_FACE_FRACTION = 0.10
# MTCNN's per-stage score thresholds (P-, R-, O-net); facenet's defaults are (0.6, 0.7, 0.7).
# P 0.7: a quarter fewer candidates for the R-net at the same recall (measured on FER faces pasted
# on 640x480 canvases); O 0.8: keeps textures from being taken for faces (real faces score > 0.99).
MTCNN_THRESHOLDS = (0.7, 0.7, 0.8)
# FER2013 framing, measured by running MTCNN on 359 upscaled FER2013 val crops:
# box width / crop side = 0.80 (IQR 0.72-0.86), box height / crop side = 1.04 (IQR 0.94-1.14),
# box centre = crop centre (0.50, 0.50).
FER_BOX_WIDTH_FRACTION = 0.80
FER_BOX_HEIGHT_FRACTION = 1.04

# Pictures narrower than this (after orientation) cannot hold a face worth reading.
MIN_FACE_PIXELS = 16

_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError)


class NoFaceDetected(InvalidInput):
    default_message = "no face detected in the image"


class UnreadableImage(InvalidInput):
    default_message = "the file is not a readable image"


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


@dataclass
class _Prepared:
    work: Image.Image  # RGB, right way up, longest side <= WORK_MAX_SIDE
    original_size: tuple[int, int]  # (width, height) of the EXIF-corrected original


def bf16_native() -> bool:
    """Whether this CPU runs bfloat16 convolutions natively (AVX512-BF16 / AMX)."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # private API: absent or failing means "do not rely on it"
        return False


def _fold_batchnorm(module):
    """Folds every BatchNorm2d into the Conv2d that feeds it (eval mode; exact up to rounding).

    Handles ``Sequential(conv, bn, ...)`` and ``convN``/``bnN`` attribute pairs. The caller checks
    the folded network against the original and keeps the original if they disagree.
    """
    from torch import nn
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    for child in module.children():
        _fold_batchnorm(child)
    if isinstance(module, nn.Sequential):
        for i in range(len(module) - 1):
            if isinstance(module[i], nn.Conv2d) and isinstance(module[i + 1], nn.BatchNorm2d):
                module[i] = fuse_conv_bn_eval(module[i], module[i + 1])
                module[i + 1] = nn.Identity()
    for name, child in list(module.named_children()):
        if isinstance(child, nn.Conv2d) and name.startswith("conv"):
            bn_name = "bn" + name[len("conv"):]
            bn = getattr(module, bn_name, None)
            if isinstance(bn, nn.BatchNorm2d):
                setattr(module, name, fuse_conv_bn_eval(child, bn))
                setattr(module, bn_name, nn.Identity())
    return module


def _float32_head(linear):
    """Wraps the final Linear so logits (and the softmax after them) are computed in float32."""
    import torch
    from torch import nn

    class Float32Head(nn.Module):
        def __init__(self, inner: nn.Linear):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            with torch.autocast("cpu", enabled=False):
                return self.inner(x.float())

    return Float32Head(linear)


class _Classifier:
    """The ensemble as served: BatchNorm folded, channels-last, bfloat16 convolutions when the CPU
    has native bf16 (the net is trained under bf16 autocast). Returns float64 probabilities."""

    def __init__(self, ensemble, *, bf16: bool | None):
        import copy

        import torch

        ensemble = ensemble.eval()
        self.bf16 = bf16_native() if bf16 is None else bool(bf16)
        self.folded = False
        model = _fold_batchnorm(copy.deepcopy(ensemble)).eval()
        probe = torch.rand(4, 1, 48, 48, generator=torch.Generator().manual_seed(0))
        with torch.inference_mode():
            if (model(probe) - ensemble(probe)).abs().max().item() < 1e-4:
                self.folded = True
            else:  # an architecture the folding does not understand: serve it as it is
                logger.warning("BatchNorm folding changed the outputs; serving the unfolded network")
                model = copy.deepcopy(ensemble).eval()
        if self.bf16:
            for member in model.members:
                member.fc = _float32_head(member.fc)
        self.model = model.to(memory_format=torch.channels_last)

    def __call__(self, batch):
        """(N, 1, 48, 48) float tensor -> (N, len(MOODS)) float64 numpy probabilities, rows sum to 1."""
        import numpy as np
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            probs = self.model(batch.contiguous(memory_format=torch.channels_last))
        probs = probs.float().numpy().astype(np.float64)
        return probs / probs.sum(axis=1, keepdims=True)


def _prediction(row) -> MoodPrediction:
    from .network import MOODS

    best = int(row.argmax())
    return MoodPrediction(
        mood=MOODS[best],
        confidence=float(row[best]),
        probabilities={mood: float(p) for mood, p in zip(MOODS, row)},
    )


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1


class MoodDetector:
    """Loads the mood weights and facenet's MTCNN (weights shipped inside the package: no network).

    Safe to share between threads: the models are only read, and a lock serialises the model calls
    (decoding, resizing and cropping run in parallel; one request can be in MTCNN while another is
    in the CNN). Measured with 4 threads calling detect() on 2 shared cores: the same throughput with
    and without the lock (within the noise, ~16-25 detections/s), so the lock stays: it keeps the
    number of busy torch threads, and the latency of each call, predictable.
    """

    def __init__(self, *, weights_path: str | Path, threads: int = 0, max_pixels: int | None = None,
                 bf16: bool | None = None, face_detector: bool = True):
        """``face_detector=False`` defers loading MTCNN to the first ``detect`` (classification-only
        users such as evaluate_mood_model never pay for it)."""
        import torch

        from .weights import weights_load

        if threads and threads > 0:
            torch.set_num_threads(int(threads))
        self.weights_path = Path(weights_path)
        self.max_pixels = max_pixels
        self.ensemble = weights_load(path=self.weights_path)  # WeightsError with a readable reason
        self.classifier = _Classifier(self.ensemble, bf16=bf16)
        self._lock = threading.Lock()
        self._mtcnn = None
        if face_detector:
            self._load_mtcnn()

    def _load_mtcnn(self):
        """facenet-pytorch's MTCNN with the P/R/O-net weights shipped in its package (no download)."""
        if self._mtcnn is None:
            with self._lock:
                if self._mtcnn is None:
                    import torch
                    from facenet_pytorch import MTCNN

                    min_face = round(DETECT_SHORT_SIDE * MIN_FACE_FRACTION)
                    mtcnn = MTCNN(keep_all=True, min_face_size=min_face, thresholds=list(MTCNN_THRESHOLDS),
                                  device=torch.device("cpu")).eval()
                    # Channels-last weights make every activation channels-last, where CPU max-pooling
                    # is ~5-10x faster than NCHW: MTCNN takes ~40% less time, same boxes.
                    self._mtcnn = mtcnn.to(memory_format=torch.channels_last)
        return self._mtcnn

    # --- public interface -------------------------------------------------------------------

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
        return [_prediction(row) for row in self.classify_batch(faces_to_batch(images))]

    def classify_arrays(self, arrays) -> list[MoodPrediction]:
        """Stacked 48x48 uint8 faces (as ``preprocess.face_to_array`` makes them) -> predictions."""
        from .preprocess import arrays_to_batch

        if len(arrays) == 0:
            return []
        return [_prediction(row) for row in self.classify_batch(arrays_to_batch(arrays))]

    def classify_batch(self, batch):
        """The net's input tensor (N, 1, 48, 48) in [0, 1] -> (N, len(MOODS)) float64 probabilities."""
        with self._lock:
            return self.classifier(batch)

    def detect(self, image: bytes | Image.Image) -> MoodDetection:
        """The mood of the largest face. Raises NoFaceDetected, or InvalidInput for unreadable data."""
        prepared = self.prepare(image)
        boxes = self.find_faces(prepared.work)
        if not boxes:
            raise NoFaceDetected()
        box = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        crop = self.crop_face(prepared.work, box)
        prediction = self.classify_faces([crop])[0]
        return MoodDetection(prediction=prediction, face_box=self._to_original(box, prepared),
                             faces_found=len(boxes))

    # --- the steps (public so bench_mood can time them) -------------------------------------

    def prepare(self, image) -> _Prepared:
        """bytes / file / PIL image -> RGB work image the right way up, plus the original's size."""
        if isinstance(image, Image.Image):
            return self._orient_and_shrink(image, image.size)
        if isinstance(image, (bytes, bytearray, memoryview)) or hasattr(image, "read"):
            return self._orient_and_shrink(*self._open(image))
        raise TypeError(f"detect takes bytes or a PIL image, not {type(image).__name__}")

    def find_faces(self, work: Image.Image) -> list[tuple[float, float, float, float]]:
        """Face boxes (x1, y1, x2, y2) in ``work``'s coordinates, found on a small copy."""
        import torch

        width, height = work.size
        if min(width, height) < MIN_FACE_PIXELS:
            return []
        # Never blow a thin strip up beyond twice the work size.
        scale = min(DETECT_SHORT_SIDE / min(width, height), 2 * WORK_MAX_SIDE / max(width, height))
        small = work
        if abs(scale - 1) > 1e-3:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = work.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0 if scale < 0.5 else None)
        sx, sy = width / small.size[0], height / small.size[1]
        mtcnn = self._load_mtcnn()
        with self._lock, torch.inference_mode():
            boxes, _probs = mtcnn.detect(small)
        if boxes is None:
            return []
        return [(float(b[0]) * sx, float(b[1]) * sy, float(b[2]) * sx, float(b[3]) * sy) for b in boxes]

    @staticmethod
    def crop_face(work: Image.Image, box) -> Image.Image:
        """A square crop around ``box`` framed like FER2013 (tight: about eyebrows to chin);
        parts outside the picture repeat its edge pixels."""
        import numpy as np

        x1, y1, x2, y2 = box
        side = max(2, round((x2 - x1) / FER_BOX_WIDTH_FRACTION / 2 + (y2 - y1) / FER_BOX_HEIGHT_FRACTION / 2))
        left = round((x1 + x2) / 2 - side / 2)
        top = round((y1 + y2) / 2 - side / 2)
        right, bottom = left + side, top + side
        width, height = work.size
        if left >= 0 and top >= 0 and right <= width and bottom <= height:
            return work.crop((left, top, right, bottom))
        inner = (max(left, 0), max(top, 0), min(right, width), min(bottom, height))
        if inner[0] >= inner[2] or inner[1] >= inner[3]:
            raise NoFaceDetected()
        pixels = np.asarray(work.crop(inner))
        pad = ((inner[1] - top, bottom - inner[3]), (inner[0] - left, right - inner[2]))
        pad += ((0, 0),) * (pixels.ndim - 2)
        return Image.fromarray(np.pad(pixels, pad, mode="edge"))

    # --- helpers ------------------------------------------------------------------------------

    def _open(self, data) -> tuple[Image.Image, tuple[int, int]]:
        """Decoded image (maybe at a reduced JPEG scale) and its full size as stored."""
        if hasattr(data, "read"):
            if hasattr(data, "seek"):
                data.seek(0)
            data = data.read()
        data = bytes(data)
        if not data:
            raise UnreadableImage("the image file is empty")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
                width, height = image.size
                if width <= 0 or height <= 0:
                    raise UnreadableImage()
                if self.max_pixels and width * height > self.max_pixels:
                    raise InvalidInput("the image has too many pixels")
                if image.format == "JPEG" and max(width, height) > WORK_MAX_SIDE:
                    # Decode at 1/2, 1/4 or 1/8 scale, never below WORK_MAX_SIDE: much faster.
                    k = WORK_MAX_SIDE / max(width, height)
                    image.draft(image.mode, (int(width * k) + 1, int(height * k) + 1))
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidInput("the image has too many pixels") from None
        except InvalidInput:
            raise
        except (UnidentifiedImageError, *_DECODE_ERRORS) as exc:
            logger.info("unreadable image for mood detection: %s", exc)
            raise UnreadableImage() from None
        return image, (width, height)

    def _orient_and_shrink(self, image: Image.Image, stored_size: tuple[int, int]) -> _Prepared:
        from vexora.images import image_to_rgb

        width, height = stored_size
        try:
            oriented = ImageOps.exif_transpose(image)
            if _orientation(image) in (5, 6, 7, 8):
                width, height = height, width
        except Exception as exc:  # a malformed EXIF block must not refuse a good picture
            logger.info("ignored a malformed EXIF orientation: %s", exc)
            oriented = image
        if max(oriented.size) > WORK_MAX_SIDE and oriented.mode in ("RGB", "L"):
            oriented = self._shrink(oriented)  # cheaper before the conversion
        try:
            work = image_to_rgb(oriented)
        except _DECODE_ERRORS as exc:
            logger.info("unconvertible image for mood detection: %s", exc)
            raise UnreadableImage() from None
        if max(work.size) > WORK_MAX_SIDE:
            work = self._shrink(work)
        return _Prepared(work=work, original_size=(width, height))

    @staticmethod
    def _shrink(image: Image.Image) -> Image.Image:
        k = WORK_MAX_SIDE / max(image.size)
        size = (max(1, round(image.size[0] * k)), max(1, round(image.size[1] * k)))
        return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)

    @staticmethod
    def _to_original(box, prepared: _Prepared) -> tuple[int, int, int, int]:
        width, height = prepared.original_size
        sx, sy = width / prepared.work.size[0], height / prepared.work.size[1]
        x1, y1, x2, y2 = box

        def clamp(value: float, top: int) -> int:
            return int(min(max(round(value), 0), top))

        return (clamp(x1 * sx, width), clamp(y1 * sy, height), clamp(x2 * sx, width), clamp(y2 * sy, height))


_detector: MoodDetector | None = None
_detector_lock = threading.Lock()


def get_detector() -> MoodDetector:
    """The process-wide detector, created on first use from the Django settings (thread-safe).

    Raises ServiceUnavailable (503) when the weights cannot be loaded; the reason is logged.
    """
    global _detector
    detector = _detector
    if detector is not None:
        return detector
    with _detector_lock:
        if _detector is None:
            from django.conf import settings

            from .weights import WeightsError

            try:
                _detector = MoodDetector(
                    weights_path=settings.MOOD_WEIGHTS_PATH,
                    threads=settings.TORCH_THREADS,
                    max_pixels=settings.IMAGE_MAX_PIXELS,
                    bf16=settings.MOOD_BF16,
                )
            except WeightsError as exc:
                logger.error("mood model unavailable: %s", exc)
                raise ServiceUnavailable("mood detection is not available right now") from exc
        return _detector
