"""The mood CNN: a small residual network over 48x48 grayscale face crops.

Kept free of Django so training scripts and tools outside the project can import it.
"""

from __future__ import annotations

import torch
from torch import nn

from vexora.moods import MODEL_CLASSES as MOODS  # the output order; plain Python, no Django


def _conv_bn(in_ch: int, out_ch: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_ch),
        nn.ReLU(inplace=True),
    )


class ResidualBlock(nn.Module):
    """Two 3x3 convolutions with an identity (or 1x1 projection) shortcut."""

    def __init__(self, in_ch: int, out_ch: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or in_ch != out_ch:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False), nn.BatchNorm2d(out_ch)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.shortcut(x))


class MoodNet(nn.Module):
    """Stem at full resolution, then residual stages that halve the map and widen the channels.

    ``width`` scales every stage; ``blocks`` is the number of residual blocks per stage.
    The head is global average pooling, so the net accepts any input size (trained on crops,
    served on whole 48x48 faces).
    """

    def __init__(self, width: int = 32, blocks: tuple[int, ...] = (1, 2, 2, 1), dropout: float = 0.3,
                 num_classes: int = len(MOODS)):
        super().__init__()
        self.config = {"width": width, "blocks": list(blocks), "dropout": dropout, "num_classes": num_classes}
        self.stem = _conv_bn(1, width)
        layers: list[nn.Module] = []
        in_ch = width
        for stage, n_blocks in enumerate(blocks):
            out_ch = width * (2**stage)
            for i in range(n_blocks):
                stride = 2 if (i == 0 and stage > 0) else 1
                layers.append(ResidualBlock(in_ch, out_ch, stride))
                in_ch = out_ch
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(in_ch, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Per-face standardisation inside the net, so lighting and contrast are handled the same
        # way in training and in serving whatever the caller did.
        mean = x.mean(dim=(1, 2, 3), keepdim=True)
        std = x.std(dim=(1, 2, 3), keepdim=True).clamp_min(1e-3)
        x = self.features(self.stem((x - mean) / std))
        return self.fc(self.dropout(torch.flatten(self.pool(x), 1)))


class MoodEnsemble(nn.Module):
    """Averages the softmax of several MoodNets (and of their mirror images when ``flip``)."""

    def __init__(self, members: list[MoodNet], flip: bool = True):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.flip = flip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Returns class probabilities (not logits)."""
        return self.probabilities(x)

    def probabilities(self, x: torch.Tensor, *, temperature: float = 1.0, flip: bool | None = None) -> torch.Tensor:
        """Softmax at ``temperature``, averaged over the members and, when ``flip`` (default: the
        ensemble's own setting), over each face and its mirror image."""
        flip = self.flip if flip is None else flip
        batch = torch.cat([x, torch.flip(x, dims=[3])]) if flip else x
        probs = torch.stack([(m(batch).float() / temperature).softmax(dim=1) for m in self.members]).mean(dim=0)
        if flip:
            probs = probs.view(2, x.shape[0], -1).mean(dim=0)
        return probs
