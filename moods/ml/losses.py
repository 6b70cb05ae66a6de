"""The training losses: labels' cross-entropy (class-weighted, faces without a label left out) and
distillation from a teacher's softened reading."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from .network import MOODS, MoodEnsemble


def label_loss(logits: torch.Tensor, target: torch.Tensor, **cross_entropy_args) -> torch.Tensor:
    """Cross-entropy over the faces that have a label (target >= 0); 0 for a batch with none."""
    if not bool((target >= 0).any()):
        return logits.sum() * 0.0
    return F.cross_entropy(logits, target, ignore_index=-1, **cross_entropy_args)


def class_weights(labels: np.ndarray, power: float) -> torch.Tensor:
    """Per-mood weights of the labels' loss, (total / count) ** power, scaled so that the weighted
    count of the training faces equals their count (power 0: every mood alike)."""
    counts = np.bincount(labels, minlength=len(MOODS)).astype(np.float64).clip(min=1)
    weights = (counts.sum() / counts) ** power
    return torch.tensor(weights / (weights * counts).sum() * counts.sum(), dtype=torch.float32)


def teacher_probs(teacher: MoodEnsemble, x: torch.Tensor, temperature: float, *, flip: bool = False) -> torch.Tensor:
    """The teacher's class probabilities at ``temperature`` for an (augmented) batch, averaged
    over its members and, with ``flip``, over each face and its mirror image."""
    with torch.no_grad():
        return teacher.probabilities(x, temperature=temperature, flip=flip)


def distill_loss(logits: torch.Tensor, target_probs: torch.Tensor, temperature: float) -> torch.Tensor:
    """KL(teacher || student) at ``temperature``, scaled by T^2 so its gradients keep their size."""
    log_student = F.log_softmax(logits / temperature, dim=1)
    return F.kl_div(log_student, target_probs, reduction="batchmean") * temperature**2
