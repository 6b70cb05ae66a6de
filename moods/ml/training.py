"""Training the mood CNN on the CPU: in-memory data, batched tensor augmentation, EMA weights,
resumable checkpoints, and the best epoch (by val) kept as the weights file.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel

from .data import DatasetError, FaceDataset, dataset_load, other_faces_load
from .metrics import confusion_matrix, metrics_from_confusion
from .network import MOODS, MoodEnsemble, MoodNet
from .preprocess import arrays_to_batch
from .weights import WeightsError, atomic_save, weights_load, weights_save


@dataclass
class TrainConfig:
    data: str
    labels: str = "ferplus"
    epochs: int = 60
    batch_size: int = 128
    lr: float = 0.1
    weight_decay: float = 5e-4
    width: int = 32
    blocks: tuple[int, ...] = (1, 2, 2, 1)
    dropout: float = 0.3
    label_smoothing: float = 0.1
    teacher: str = ""  # weights file whose softened outputs the net also learns from (distillation)
    distill: float = 0.5  # weight of the teacher's term in the loss (the labels' term gets 1 - distill)
    distill_temperature: float = 2.0
    # Average the teacher's reading of each face with its reading of the mirror image (as the app
    # serves it): a better target for twice the teacher's cost. Off by default so that checkpoints
    # written before the option existed resume with the recipe they were started with.
    teacher_flip: bool = False
    # Also train on the faces of train/ FER+ names no mood of ours ("other"), with the teacher's
    # reading as their only target (they add no label loss). Needs a teacher and FER+ labels.
    other_faces: bool = False
    class_weight_power: float = 0.5  # 0: plain CE, 1: inverse frequency
    # Start from the network in this weights file instead of random weights (fine-tuning a trained
    # net, usually with a lower --lr and fewer epochs). Its architecture must be the run's.
    init: str = ""
    cutmix: float = 0.5  # probability that a batch is CutMixed
    erase: float = 0.5  # probability of a random erasing box per face
    max_rotation: float = 15.0  # degrees
    ema_decay: float = 0.999
    warmup_epochs: int = 2
    seed: int = 1
    bf16: bool = False  # bfloat16 autocast: fast only where the CPU has native bf16 (docs/mood-model.md)
    threads: int = 0  # 0: every core
    limit: int = 0  # >0: use only the first N training faces (smoke tests)
    extra: dict = field(default_factory=dict)


def _split_dirs(data: Path) -> tuple[Path, Path]:
    train, val = data / "train", data / "val"
    if not train.is_dir() or not val.is_dir():
        raise DatasetError(f"{data} needs train/ and val/ sub-folders")
    return train, val


def seed_everything(seed: int) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


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


def _weights_option(path: str, option: str) -> MoodEnsemble | None:
    """The weights file an option names (None when it names none); WeightsError names the option."""
    if not path:
        return None
    try:
        return weights_load(path=path)
    except WeightsError as exc:
        raise WeightsError(f"{option}: {exc}") from exc


def _init_state(config: TrainConfig) -> dict | None:
    """The weights ``config.init`` names for the run to start from (None: random); refuses a file
    holding an ensemble or a network of another architecture than the run's."""
    start = _weights_option(config.init, "--init")
    if start is None:
        return None
    if len(start.members) != 1:
        raise WeightsError(f"--init: {config.init} holds {len(start.members)} networks; start from a file with one")
    wanted = {"width": config.width, "blocks": list(config.blocks), "num_classes": len(MOODS)}
    shape = {key: start.members[0].config[key] for key in wanted}
    if shape != wanted:
        raise WeightsError(f"--init: {config.init} holds a network of {shape}, this run trains {wanted} "
                           f"(pass the same --width)")
    return start.members[0].state_dict()


def _ema_fn(decay: float):
    """EMA whose decay warms up ((1+n)/(10+n)), so early epochs average recent weights only."""

    def average(averaged: torch.Tensor, current: torch.Tensor, num_averaged) -> torch.Tensor:
        d = min(decay, (1.0 + float(num_averaged)) / (10.0 + float(num_averaged)))
        return averaged * d + current * (1.0 - d)

    return average


def _lr_at(step: int, total: int, warmup: int, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * progress))


# What a resumed run may change: its length, and how fast it runs (precision, threads).
_RESUMABLE_CHANGES = {"epochs", "bf16", "threads"}


def _recipe(config: dict) -> dict:
    return {key: (list(value) if isinstance(value, tuple) else value)
            for key, value in config.items() if key not in _RESUMABLE_CHANGES}


def _score(metrics: dict) -> float:
    """How val ranks epochs: accuracy and macro-F1 count alike (the product needs both)."""
    return (metrics["accuracy"] + metrics["macro_f1"]) / 2


def train(
    config: TrainConfig,
    *,
    out: str | Path,
    checkpoint: str | Path | None = None,
    on_batch: Callable[[int, int, int, float], None] | None = None,
    on_epoch: Callable[[dict], None] | None = None,
    load_progress=None,
) -> dict:
    """Trains (or resumes) and returns the best epoch's record. ``out`` receives the best weights.
    Raises WeightsError (naming the option) for an unusable ``config.teacher`` or ``config.init``."""
    out = Path(out)
    checkpoint = Path(checkpoint) if checkpoint else out.with_suffix(".resume.pt")
    torch.set_num_threads(config.threads or os.cpu_count() or 1)
    # First, so a bad file fails before the data loads, and before seeding: building the teacher's
    # nets draws from torch's RNG, which would otherwise shift dropout's draws.
    teacher = _weights_option(config.teacher, "--teacher")
    start = _init_state(config)
    if config.other_faces and (teacher is None or config.labels != "ferplus"):
        raise DatasetError("--other-faces needs --teacher (their only target is the teacher's reading) "
                           "and --labels ferplus (the FER+ csv says which faces are 'other')")
    train_dir, val_dir = _split_dirs(Path(config.data))
    train_set = dataset_load(folder=train_dir, labels=config.labels, progress=load_progress)
    val_set = dataset_load(folder=val_dir, labels=config.labels, progress=load_progress)
    if config.limit and config.limit < len(train_set):
        # A seeded random subset: the files are sorted by class, so the first N would be one class.
        keep = np.sort(np.random.default_rng(config.seed).permutation(len(train_set))[: config.limit])
        train_set = FaceDataset(train_set.images[keep], train_set.labels[keep],
                                [train_set.paths[i] for i in keep])

    unlabelled = other_faces_load(folder=train_dir, progress=load_progress) if config.other_faces else None
    other_count = len(unlabelled) if unlabelled is not None else 0

    gen = seed_everything(config.seed)
    model = MoodNet(width=config.width, blocks=tuple(config.blocks), dropout=config.dropout)
    if start is not None:
        model.load_state_dict(start)
    ema = AveragedModel(model, avg_fn=_ema_fn(config.ema_decay), use_buffers=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=config.lr, momentum=0.9, nesterov=True,
                                weight_decay=config.weight_decay)
    mood_weights = class_weights(train_set.labels, config.class_weight_power)
    images, labels = train_set.images, train_set.labels
    if unlabelled is not None:
        images = np.concatenate([images, unlabelled.images])
        labels = np.concatenate([labels, unlabelled.labels])  # -1: no label, only the teacher's reading
    steps_per_epoch = math.ceil(len(labels) / config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    history: list[dict] = []
    start_epoch, best = 0, None

    if checkpoint.is_file():
        state = torch.load(checkpoint, map_location="cpu", weights_only=False)
        # Only the length of the run (the cosine schedule is recomputed from the current step) and
        # its speed settings may change on resume, so a run can be fitted to the time and CPU there is.
        # A setting added after the checkpoint was written counts as its default.
        if _recipe({**asdict(TrainConfig(data="")), **state["config"]}) != _recipe(asdict(config)):
            raise DatasetError(f"{checkpoint} belongs to a run with other settings; delete it or pick another --out")
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        optimizer.load_state_dict(state["optimizer"])
        gen.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])
        start_epoch, history, best = state["epoch"], state["history"], state["best"]

    images = torch.from_numpy(images)
    labels = torch.from_numpy(labels)
    for epoch in range(start_epoch, config.epochs):
        model.train()
        started = time.perf_counter()
        order = torch.randperm(len(labels), generator=gen)
        running, seen = 0.0, 0
        for i in range(steps_per_epoch):
            step = epoch * steps_per_epoch + i
            for group in optimizer.param_groups:
                group["lr"] = _lr_at(step, total_steps, config.warmup_epochs * steps_per_epoch, config.lr)
            idx = order[i * config.batch_size : (i + 1) * config.batch_size]
            x = images[idx].unsqueeze(1).float().div_(255.0)
            y = labels[idx]
            x = augment(x, gen, max_rotation=config.max_rotation, erase=config.erase)
            logits_fn = lambda target: label_loss(  # noqa: E731
                logits, target, weight=mood_weights, label_smoothing=config.label_smoothing
            )
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.bf16):
                mixed = config.cutmix and float(torch.rand(1, generator=gen)) < config.cutmix
                if mixed:
                    x, y_a, y_b, lam = cutmix(x, y, gen)
                logits = model(x).float()
                soft = (teacher_probs(teacher, x, config.distill_temperature, flip=config.teacher_flip)
                        if teacher else None)
            loss = lam * logits_fn(y_a) + (1 - lam) * logits_fn(y_b) if mixed else logits_fn(y)
            if soft is not None:
                loss = (1 - config.distill) * loss + config.distill * distill_loss(
                    logits, soft, config.distill_temperature)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            ema.update_parameters(model)
            running += float(loss.detach()) * len(idx)
            seen += len(idx)
            if on_batch:
                on_batch(epoch, i + 1, steps_per_epoch, running / seen)

        # The EMA weights usually win late in training, the raw ones early: keep whichever val prefers.
        candidates = {"ema": ema.module, "raw": model}
        scored = {name: evaluate_model(MoodEnsemble([net], flip=True), val_set, bf16=config.bf16) for name, net in candidates.items()}
        chosen = max(scored, key=lambda name: _score(scored[name]))
        ema_net, metrics = candidates[chosen], scored[chosen]
        record = {
            "epoch": epoch + 1,
            "train_loss": running / max(seen, 1),
            "val_accuracy": metrics["accuracy"],
            "val_macro_f1": metrics["macro_f1"],
            "val_recall": {m: v["recall"] for m, v in metrics["per_class"].items()},
            "weights": chosen,
            "planned_epochs": config.epochs,
            "val_accuracy_raw": scored["raw"]["accuracy"],
            "val_accuracy_ema": scored["ema"]["accuracy"],
            "seconds": time.perf_counter() - started,
            "lr": optimizer.param_groups[0]["lr"],
        }
        is_best = best is None or _score(metrics) > _score({"accuracy": best["val_accuracy"],
                                                              "macro_f1": best["val_macro_f1"]})
        record["best"] = is_best
        history.append(record)
        if is_best:
            best = record
            weights_save(path=out, members=[ema_net], flip=True,
                         meta={"config": asdict(config), "epoch": epoch + 1, "val": metrics,
                               "train_counts": train_set.class_counts(), "val_counts": val_set.class_counts(),
                               "train_other_faces": other_count})
        atomic_save(
            {"config": asdict(config), "epoch": epoch + 1, "model": model.state_dict(), "ema": ema.state_dict(),
             "optimizer": optimizer.state_dict(), "generator": gen.get_state(), "torch_rng": torch.get_rng_state(),
             "history": history, "best": best},
            checkpoint,
        )
        out.with_suffix(".history.json").write_text(json.dumps(history, indent=1))
        if on_epoch:
            on_epoch(record)
    return {"best": best, "history": history, "train_counts": train_set.class_counts(),
            "train_other_faces": other_count,
            "val_counts": val_set.class_counts()}
