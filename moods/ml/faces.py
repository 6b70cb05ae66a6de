"""Finding faces in a work image (facenet-pytorch's MTCNN) and cropping one the way FER2013 crops faces.

Detection runs on a small copy whose shorter side is ``DETECT_SHORT_SIDE`` pixels, looking for
faces at least ``MIN_FACE_FRACTION`` of that side (selfies have big faces; this keeps MTCNN's image
pyramid short). Boxes are mapped back to the work image. torch, numpy and facenet-pytorch are
imported inside the code that needs them, so importing this module stays cheap.
"""

from __future__ import annotations

import threading

from PIL import Image

from .errors import NoFaceDetected
from .images import WORK_MAX_SIDE

# Face detection runs on a copy whose shorter side is this many pixels ...
DETECT_SHORT_SIDE = 240
# ... and looks for faces at least this fraction of that side (24 px): a face that fills ~10% of
# the frame's width (7.5% of a landscape photo's width) is still found.
MIN_FACE_FRACTION = 0.10
# MTCNN's per-stage score thresholds (P-, R-, O-net); facenet's defaults are (0.6, 0.7, 0.7).
# P 0.7: fewer candidates for the R-net at the same recall (measured on FER faces pasted on
# 640x480 canvases); O 0.8: keeps textures from being taken for faces (real faces score far higher).
MTCNN_THRESHOLDS = (0.7, 0.7, 0.8)
# FER2013 framing: MTCNN's box as a fraction of a FER2013 crop's side, measured by running MTCNN on
# upscaled FER2013 val crops (the box is centred in the crop; figures in docs/mood-model.md).
FER_BOX_WIDTH_FRACTION = 0.80
FER_BOX_HEIGHT_FRACTION = 1.04

# Pictures narrower than this (after orientation) cannot hold a face worth reading.
MIN_FACE_PIXELS = 16

Box = tuple[float, float, float, float]


class FaceFinder:
    """MTCNN with the P/R/O-net weights shipped inside facenet-pytorch (no download), loaded on
    first use. ``lock`` serialises its calls with the other model calls of the detector."""

    def __init__(self, *, lock: threading.Lock, load_now: bool = True):
        self._lock = lock
        self._load_lock = threading.Lock()
        self._mtcnn = None
        if load_now:
            self._load()

    def _load(self):
        if self._mtcnn is None:
            with self._load_lock:
                if self._mtcnn is None:
                    import torch
                    from facenet_pytorch import MTCNN

                    min_face = round(DETECT_SHORT_SIDE * MIN_FACE_FRACTION)
                    mtcnn = MTCNN(keep_all=True, min_face_size=min_face, thresholds=list(MTCNN_THRESHOLDS),
                                  device=torch.device("cpu")).eval()
                    # Channels-last weights make every activation channels-last, where CPU
                    # max-pooling is much faster than in NCHW: same boxes, less time.
                    self._mtcnn = mtcnn.to(memory_format=torch.channels_last)
        return self._mtcnn

    def find(self, work: Image.Image) -> list[Box]:
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
        mtcnn = self._load()
        with self._lock, torch.inference_mode():
            boxes, _probs = mtcnn.detect(small)
        if boxes is None:
            return []
        return [(float(b[0]) * sx, float(b[1]) * sy, float(b[2]) * sx, float(b[3]) * sy) for b in boxes]


def largest_box(boxes: list[Box]) -> Box:
    return max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))


def face_crop(work: Image.Image, box: Box) -> Image.Image:
    """A square crop around ``box`` framed like FER2013 (tight: about eyebrows to chin); parts
    outside the picture repeat its edge pixels. NoFaceDetected when the box lies outside."""
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
