"""Training-time augmentation of whole batches at once (tensor operations, no per-image loop)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def augment(x: torch.Tensor, gen: torch.Generator, *, max_rotation: float, erase: float) -> torch.Tensor:
    """Random flip, rotation, scale, shift, gamma and erasing, for a whole batch at once."""
    b = x.shape[0]

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(b, generator=gen) * (high - low) + low

    angle = uniform(-max_rotation, max_rotation) * math.pi / 180
    scale = uniform(0.9, 1.1)
    flip = torch.where(torch.rand(b, generator=gen) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos * flip, -sin, uniform(-0.1, 0.1)], 1), torch.stack([sin * flip, cos, uniform(-0.1, 0.1)], 1)],
        1,
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    gamma = torch.exp(uniform(-0.4, 0.4)).view(b, 1, 1, 1)
    x = x.clamp(1e-4, 1.0).pow(gamma)
    if erase > 0:
        h, w = x.shape[2:]
        area = uniform(0.02, 0.2) * h * w
        aspect = torch.exp(uniform(math.log(0.3), math.log(3.3)))
        eh = (area * aspect).sqrt().clamp(1, h)
        ew = (area / aspect).sqrt().clamp(1, w)
        y0 = torch.rand(b, generator=gen) * (h - eh)
        x0 = torch.rand(b, generator=gen) * (w - ew)
        ys = torch.arange(h).view(1, h, 1)
        xs = torch.arange(w).view(1, 1, w)
        box = (ys >= y0.view(b, 1, 1)) & (ys < (y0 + eh).view(b, 1, 1)) & (xs >= x0.view(b, 1, 1)) & (
            xs < (x0 + ew).view(b, 1, 1)
        )
        box &= (torch.rand(b, generator=gen) < erase).view(b, 1, 1)
        noise = torch.rand(x.shape, generator=gen)
        x = torch.where(box.unsqueeze(1), noise, x)
    return x


def cutmix(x: torch.Tensor, y: torch.Tensor, gen: torch.Generator):
    """Pastes a box of a shuffled batch into each face; returns (x, y, y_other, lam)."""
    b, _, h, w = x.shape
    perm = torch.randperm(b, generator=gen)
    lam = float(torch.rand(1, generator=gen))  # Beta(1, 1)
    cut_h, cut_w = int(h * math.sqrt(1 - lam)), int(w * math.sqrt(1 - lam))
    cy, cx = int(torch.randint(h, (1,), generator=gen)), int(torch.randint(w, (1,), generator=gen))
    y1, y2 = max(cy - cut_h // 2, 0), min(cy + cut_h // 2, h)
    x1, x2 = max(cx - cut_w // 2, 0), min(cx + cut_w // 2, w)
    x = x.clone()
    x[:, :, y1:y2, x1:x2] = x[perm, :, y1:y2, x1:x2]
    lam = 1 - (y2 - y1) * (x2 - x1) / (h * w)
    return x, y, y[perm], lam
