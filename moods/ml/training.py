"""Training the mood CNN on the CPU: in-memory data, batched tensor augmentation, EMA weights,
resumable checkpoints, and the best epoch (by val) kept as the weights file.

``train(config, out=...)`` runs these steps: check the weights files the config names (teacher,
start), load the faces, build the run (seeded net, EMA, optimizer) or resume it from its checkpoint,
then per epoch: train over every batch, pick the EMA or raw weights by val, save the best epoch's
weights and a checkpoint.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch.optim.swa_utils import AveragedModel

from .data import FaceDataset, dataset_load, other_faces_load
from .epoch import train_epoch
from .errors import DatasetError, WeightsError
from .evaluation import evaluate_model
from .losses import class_weights
from .network import MOODS, MoodEnsemble, MoodNet
from .weights import atomic_save, weights_load, weights_save


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


def seed_everything(seed: int) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


# --- step 1: the weights files the config names -------------------------------------------------

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


# --- step 2: the faces ----------------------------------------------------------------------------

@dataclass
class _Data:
    train_set: FaceDataset
    val_set: FaceDataset
    images: torch.Tensor  # (N, 48, 48) uint8: the training faces, then the "other" faces
    labels: torch.Tensor  # (N,) int64; -1: no label (an "other" face), only the teacher's reading
    mood_weights: torch.Tensor
    other_count: int


def _split_dirs(data: Path) -> tuple[Path, Path]:
    train, val = data / "train", data / "val"
    if not train.is_dir() or not val.is_dir():
        raise DatasetError(f"{data} needs train/ and val/ sub-folders")
    return train, val


def _load_data(config: TrainConfig, progress) -> _Data:
    train_dir, val_dir = _split_dirs(Path(config.data))
    train_set = dataset_load(folder=train_dir, labels=config.labels, progress=progress)
    val_set = dataset_load(folder=val_dir, labels=config.labels, progress=progress)
    if config.limit and config.limit < len(train_set):
        # A seeded random subset: the files are sorted by class, so the first N would be one class.
        keep = np.sort(np.random.default_rng(config.seed).permutation(len(train_set))[: config.limit])
        train_set = FaceDataset(train_set.images[keep], train_set.labels[keep],
                                [train_set.paths[i] for i in keep])
    images, labels = train_set.images, train_set.labels
    other_count = 0
    if config.other_faces:
        unlabelled = other_faces_load(folder=train_dir, progress=progress)
        other_count = len(unlabelled)
        images = np.concatenate([images, unlabelled.images])
        labels = np.concatenate([labels, unlabelled.labels])
    return _Data(train_set=train_set, val_set=val_set, images=torch.from_numpy(images),
                 labels=torch.from_numpy(labels),
                 mood_weights=class_weights(train_set.labels, config.class_weight_power), other_count=other_count)


# --- step 3: the run (fresh or resumed) ---------------------------------------------------------

def _ema_fn(decay: float):
    """EMA whose decay warms up ((1+n)/(10+n)), so early epochs average recent weights only."""

    def average(averaged: torch.Tensor, current: torch.Tensor, num_averaged) -> torch.Tensor:
        d = min(decay, (1.0 + float(num_averaged)) / (10.0 + float(num_averaged)))
        return averaged * d + current * (1.0 - d)

    return average


# What a resumed run may change: its length, and how fast it runs (precision, threads).
_RESUMABLE_CHANGES = {"epochs", "bf16", "threads"}


def _recipe(config: dict) -> dict:
    return {key: (list(value) if isinstance(value, tuple) else value)
            for key, value in config.items() if key not in _RESUMABLE_CHANGES}


@dataclass
class _Run:
    model: MoodNet
    ema: AveragedModel
    optimizer: torch.optim.Optimizer
    gen: torch.Generator
    start_epoch: int = 0
    history: list[dict] = field(default_factory=list)
    best: dict | None = None


def _run_start(config: TrainConfig, start: dict | None) -> _Run:
    """A seeded net (or the ``--init`` one), its EMA and its optimizer."""
    gen = seed_everything(config.seed)
    model = MoodNet(width=config.width, blocks=tuple(config.blocks), dropout=config.dropout)
    if start is not None:
        model.load_state_dict(start)
    ema = AveragedModel(model, avg_fn=_ema_fn(config.ema_decay), use_buffers=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=config.lr, momentum=0.9, nesterov=True,
                                weight_decay=config.weight_decay)
    return _Run(model=model, ema=ema, optimizer=optimizer, gen=gen)


def _run_resume(run: _Run, *, checkpoint: Path, config: TrainConfig) -> None:
    """Restores the run's state from its checkpoint. Only the length of the run (the cosine schedule
    is recomputed from the current step) and its speed settings may change on resume, so a run can
    be fitted to the time and CPU there is. A setting added after the checkpoint was written counts
    as its default."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    if _recipe({**asdict(TrainConfig(data="")), **state["config"]}) != _recipe(asdict(config)):
        raise DatasetError(f"{checkpoint} belongs to a run with other settings; delete it or pick another --out")
    run.model.load_state_dict(state["model"])
    run.ema.load_state_dict(state["ema"])
    run.optimizer.load_state_dict(state["optimizer"])
    run.gen.set_state(state["generator"])
    torch.set_rng_state(state["torch_rng"])
    run.start_epoch, run.history, run.best = state["epoch"], state["history"], state["best"]


# --- step 4 (one epoch: moods.ml.epoch), step 5: judge the epoch on val and keep the best ----------------------------------------------

def _score(metrics: dict) -> float:
    """How val ranks epochs: accuracy and macro-F1 count alike (the product needs both)."""
    return (metrics["accuracy"] + metrics["macro_f1"]) / 2


def _epoch_judge(run: _Run, config: TrainConfig, data: _Data, *, epoch: int, train_loss: float,
                 started: float) -> tuple[dict, MoodNet, dict]:
    """The EMA weights usually win late in training, the raw ones early: keep whichever val prefers.
    Returns the epoch's record, the chosen net and its val metrics."""
    candidates = {"ema": run.ema.module, "raw": run.model}
    scored = {name: evaluate_model(MoodEnsemble([net], flip=True), data.val_set, bf16=config.bf16)
              for name, net in candidates.items()}
    chosen = max(scored, key=lambda name: _score(scored[name]))
    metrics = scored[chosen]
    record = {
        "epoch": epoch + 1,
        "train_loss": train_loss,
        "val_accuracy": metrics["accuracy"],
        "val_macro_f1": metrics["macro_f1"],
        "val_recall": {m: v["recall"] for m, v in metrics["per_class"].items()},
        "weights": chosen,
        "planned_epochs": config.epochs,
        "val_accuracy_raw": scored["raw"]["accuracy"],
        "val_accuracy_ema": scored["ema"]["accuracy"],
        "seconds": time.perf_counter() - started,
        "lr": run.optimizer.param_groups[0]["lr"],
    }
    best = run.best
    record["best"] = best is None or _score(metrics) > _score({"accuracy": best["val_accuracy"],
                                                                 "macro_f1": best["val_macro_f1"]})
    return record, candidates[chosen], metrics


def _epoch_save(run: _Run, config: TrainConfig, data: _Data, *, record: dict, net: MoodNet, metrics: dict,
                out: Path, checkpoint: Path) -> None:
    """The best epoch's weights at ``out``, then the checkpoint and the history beside it."""
    run.history.append(record)
    if record["best"]:
        run.best = record
        weights_save(path=out, members=[net], flip=True,
                     meta={"config": asdict(config), "epoch": record["epoch"], "val": metrics,
                           "train_counts": data.train_set.class_counts(), "val_counts": data.val_set.class_counts(),
                           "train_other_faces": data.other_count})
    atomic_save(
        {"config": asdict(config), "epoch": record["epoch"], "model": run.model.state_dict(),
         "ema": run.ema.state_dict(), "optimizer": run.optimizer.state_dict(), "generator": run.gen.get_state(),
         "torch_rng": torch.get_rng_state(), "history": run.history, "best": run.best},
        checkpoint,
    )
    out.with_suffix(".history.json").write_text(json.dumps(run.history, indent=1))


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
    data = _load_data(config, load_progress)
    run = _run_start(config, start)
    if checkpoint.is_file():
        _run_resume(run, checkpoint=checkpoint, config=config)

    for epoch in range(run.start_epoch, config.epochs):
        started = time.perf_counter()
        train_loss = train_epoch(model=run.model, ema=run.ema, optimizer=run.optimizer, gen=run.gen,
                                 images=data.images, labels=data.labels, mood_weights=data.mood_weights,
                                 teacher=teacher, config=config, epoch=epoch, on_batch=on_batch)
        record, net, metrics = _epoch_judge(run, config, data, epoch=epoch, train_loss=train_loss, started=started)
        _epoch_save(run, config, data, record=record, net=net, metrics=metrics, out=out, checkpoint=checkpoint)
        if on_epoch:
            on_epoch(record)
    return {"best": run.best, "history": run.history, "train_counts": data.train_set.class_counts(),
            "train_other_faces": data.other_count, "val_counts": data.val_set.class_counts()}
