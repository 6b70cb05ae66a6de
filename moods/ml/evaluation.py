"""A model's class probabilities and metrics on an in-memory face dataset, as training reads val."""

from __future__ import annotations

import numpy as np
import torch

from .data import FaceDataset
from .metrics import confusion_matrix, metrics_from_confusion
from .network import MoodEnsemble
from .preprocess import arrays_to_batch


@torch.no_grad()
def predict_probs(model: torch.nn.Module, images: np.ndarray, batch_size: int = 512, bf16: bool = False) -> np.ndarray:
    """Class probabilities of an ensemble (or logits->softmax of a single net) over uint8 faces;
    ``bf16`` as in training (and in serving on the same CPU)."""
    model.eval()
    out = []
    for start in range(0, len(images), batch_size):
        batch = arrays_to_batch(images[start : start + batch_size])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            result = model(batch).float()
        out.append(result if isinstance(model, MoodEnsemble) else result.softmax(1))
    return torch.cat(out).numpy()


def evaluate_model(model: torch.nn.Module, dataset: FaceDataset, bf16: bool = False) -> dict:
    probs = predict_probs(model, dataset.images, bf16=bf16)
    return metrics_from_confusion(confusion_matrix(dataset.labels, probs.argmax(1)))
