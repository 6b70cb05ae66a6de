"""Face-crop preprocessing shared by training, evaluation and serving (one function, one truth)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from PIL import Image

FACE_SIZE = 48


def face_to_array(face: Image.Image) -> np.ndarray:
    """A face crop of any mode and size -> 48x48 uint8 grayscale array (the FER2013 format)."""
    if face.mode.startswith("I;16") or face.mode == "I":
        # 16-bit grey: scale to 8 bits (a plain convert("L") clips everything above 255 to white).
        face = face.point(lambda v: v * (1 / 257))
    gray = face.convert("L")
    if gray.size != (FACE_SIZE, FACE_SIZE):
        gray = gray.resize((FACE_SIZE, FACE_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return np.asarray(gray, dtype=np.uint8)


def arrays_to_batch(arrays: Sequence[np.ndarray] | np.ndarray) -> torch.Tensor:
    """Stacked uint8 48x48 arrays -> float tensor (N, 1, 48, 48) in [0, 1], the net's input."""
    stacked = torch.from_numpy(np.ascontiguousarray(np.stack(arrays) if not isinstance(arrays, np.ndarray) else arrays))
    return stacked.unsqueeze(1).float().div_(255.0)


def faces_to_batch(faces: Sequence[Image.Image]) -> torch.Tensor:
    return arrays_to_batch([face_to_array(f) for f in faces])
