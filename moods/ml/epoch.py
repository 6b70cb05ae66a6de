"""One training epoch: SGD over every batch of the training faces in a seeded order, with the
learning-rate schedule (linear warm-up, cosine decay), augmentation, CutMix, the labels' loss and
the teacher's term. ``training.train`` calls it once per epoch."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import torch

from .augment import augment, cutmix
from .losses import distill_loss, label_loss, teacher_probs
from .network import MoodEnsemble

if TYPE_CHECKING:
    from .training import TrainConfig


def lr_at(step: int, total: int, warmup: int, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * progress))


def batch_loss(*, model: torch.nn.Module, gen: torch.Generator, x: torch.Tensor, y: torch.Tensor,
               mood_weights: torch.Tensor, teacher: MoodEnsemble | None, config: TrainConfig) -> torch.Tensor:
    """Augmentation, CutMix (some batches), the labels' loss and the teacher's term for one batch."""
    x = augment(x, gen, max_rotation=config.max_rotation, erase=config.erase)
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.bf16):
        mixed = config.cutmix and float(torch.rand(1, generator=gen)) < config.cutmix
        if mixed:
            x, y_a, y_b, lam = cutmix(x, y, gen)
        logits = model(x).float()
        soft = (teacher_probs(teacher, x, config.distill_temperature, flip=config.teacher_flip)
                if teacher else None)

    def labels_term(target: torch.Tensor) -> torch.Tensor:
        return label_loss(logits, target, weight=mood_weights, label_smoothing=config.label_smoothing)

    loss = lam * labels_term(y_a) + (1 - lam) * labels_term(y_b) if mixed else labels_term(y)
    if soft is not None:
        loss = (1 - config.distill) * loss + config.distill * distill_loss(logits, soft, config.distill_temperature)
    return loss


def train_epoch(*, model: torch.nn.Module, ema, optimizer: torch.optim.Optimizer, gen: torch.Generator,
                images: torch.Tensor, labels: torch.Tensor, mood_weights: torch.Tensor,
                teacher: MoodEnsemble | None, config: TrainConfig, epoch: int,
                on_batch: Callable[[int, int, int, float], None] | None) -> float:
    """One pass over ``images`` (uint8 faces; ``labels`` -1 for faces without one); updates the model,
    its EMA and the optimizer in place and returns the mean training loss."""
    model.train()
    steps_per_epoch = math.ceil(len(labels) / config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    order = torch.randperm(len(labels), generator=gen)
    running, seen = 0.0, 0
    for i in range(steps_per_epoch):
        step = epoch * steps_per_epoch + i
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, total_steps, config.warmup_epochs * steps_per_epoch, config.lr)
        idx = order[i * config.batch_size : (i + 1) * config.batch_size]
        x = images[idx].unsqueeze(1).float().div_(255.0)
        loss = batch_loss(model=model, gen=gen, x=x, y=labels[idx], mood_weights=mood_weights, teacher=teacher,
                          config=config)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        ema.update_parameters(model)
        running += float(loss.detach()) * len(idx)
        seen += len(idx)
        if on_batch:
            on_batch(epoch, i + 1, steps_per_epoch, running / seen)
    return running / max(seen, 1)
