"""The ensemble as served: the inference tricks that make it fast without changing its answers.

- BatchNorm folded into the convolutions (checked against the original network at load time; the
  original is served if they disagree);
- channels-last memory layout;
- bfloat16 convolutions when the CPU runs them natively (the net is trained under bf16 autocast),
  with the final layer (logits and softmax) in float32;
- flip averaging: the ensemble itself averages each face with its mirror image when its weights
  file says so (``MoodEnsemble.flip``);
- temperature scaling of the flip-averaged probabilities (``calibration``), which changes how sure
  an answer is, never which mood it names.
"""

from __future__ import annotations

import copy
import logging

import numpy as np
import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from .calibration import temperature_apply
from .cpu import bf16_native
from .network import MoodEnsemble

logger = logging.getLogger(__name__)


def fold_batchnorm(module: nn.Module) -> nn.Module:
    """Folds every BatchNorm2d into the Conv2d that feeds it (eval mode; exact up to rounding).

    Handles ``Sequential(conv, bn, ...)`` and ``convN``/``bnN`` attribute pairs. The caller checks
    the folded network against the original and keeps the original if they disagree.
    """
    for child in module.children():
        fold_batchnorm(child)
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


class Float32Head(nn.Module):
    """Wraps the final Linear so logits (and the softmax after them) are computed in float32."""

    def __init__(self, inner: nn.Linear):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        with torch.autocast("cpu", enabled=False):
            return self.inner(x.float())


class Classifier:
    """(N, 1, 48, 48) faces in [0, 1] -> (N, len(MOODS)) float64 probabilities, rows summing to 1.

    ``bf16``: None decides from the CPU (``bf16_native``); ``temperature``: 1 serves the ensemble's
    own probabilities. Not thread-safe by itself: the detector serialises the calls."""

    def __init__(self, ensemble: MoodEnsemble, *, bf16: bool | None, temperature: float = 1.0):
        ensemble = ensemble.eval()
        self.bf16 = bf16_native() if bf16 is None else bool(bf16)
        self.temperature = float(temperature)
        self.folded = False
        model = fold_batchnorm(copy.deepcopy(ensemble)).eval()
        probe = torch.rand(4, 1, 48, 48, generator=torch.Generator().manual_seed(0))
        with torch.inference_mode():
            if (model(probe) - ensemble(probe)).abs().max().item() < 1e-4:
                self.folded = True
            else:  # an architecture the folding does not understand: serve it as it is
                logger.warning("BatchNorm folding changed the outputs; serving the unfolded network")
                model = copy.deepcopy(ensemble).eval()
        if self.bf16:
            for member in model.members:
                member.fc = Float32Head(member.fc)
        self.model = model.to(memory_format=torch.channels_last)

    def __call__(self, batch: torch.Tensor) -> np.ndarray:
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            probs = self.model(batch.contiguous(memory_format=torch.channels_last))
        probs = probs.float().numpy().astype(np.float64)
        return temperature_apply(probs / probs.sum(axis=1, keepdims=True), self.temperature)
