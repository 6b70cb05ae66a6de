"""Saving and loading the shipped weights file (plain tensors and numbers: ``weights_only=True``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import torch

from .errors import WeightsError
from .network import MOODS, MoodEnsemble, MoodNet

FORMAT = "vexora-mood/1"


def _plain(value):
    """``meta`` as plain Python (dict, list, str, int, float, bool, None): loadable with weights_only."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value


def _load_blob(path: Path):
    return torch.load(path, map_location="cpu", weights_only=True)


def atomic_save(obj, path: str | Path) -> None:
    """torch.save through a temporary file and a rename, so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def weights_save(*, path: str | Path, members: list[MoodNet], flip: bool = True, meta: dict | None = None) -> None:
    atomic_save(
        {
            "format": FORMAT,
            "moods": list(MOODS),
            "flip": flip,
            "members": [
                {"config": m.config, "state_dict": {k: v.detach().cpu().clone() for k, v in m.state_dict().items()}}
                for m in members
            ],
            "meta": _plain(meta or {}),
        },
        path,
    )


def weights_load(*, path: str | Path) -> MoodEnsemble:
    """The ensemble in eval mode. Raises WeightsError with a readable reason."""
    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"no weights file at {path}")
    try:
        blob = _load_blob(path)
    except Exception as exc:  # torch raises several types for corrupt or foreign files
        raise WeightsError(f"{path} is not a loadable weights file: {exc}") from exc
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise WeightsError(f"{path} is not a Vexora mood weights file")
    if tuple(blob.get("moods", ())) != MOODS:
        raise WeightsError(f"{path} was trained for moods {blob.get('moods')}, expected {list(MOODS)}")
    members = []
    for member in blob.get("members") or []:
        try:
            cfg = member["config"]
            net = MoodNet(width=cfg["width"], blocks=tuple(cfg["blocks"]), dropout=cfg["dropout"],
                          num_classes=cfg["num_classes"])
            net.load_state_dict(member["state_dict"])
        except (RuntimeError, KeyError, TypeError, ValueError) as exc:
            raise WeightsError(f"{path} does not fit the network: {exc}") from exc
        members.append(net)
    if not members:
        raise WeightsError(f"{path} holds no network")
    return MoodEnsemble(members, flip=bool(blob.get("flip", True))).eval()


def weights_meta(*, path: str | Path) -> dict:
    return _load_blob(Path(path)).get("meta", {})


def weights_combine(*, paths: list[str | Path], out: str | Path, flip: bool = True) -> MoodEnsemble:
    """One weights file serving the networks of several files as an ensemble (averaged softmax).

    Each input is validated by ``weights_load`` first, so a foreign or broken file is refused with its
    reason and nothing is written. The inputs' metadata is kept, one entry per file, under ``sources``.
    """
    if not paths:
        raise WeightsError("name at least one weights file to combine")
    members, sources = [], []
    for path in paths:
        members.extend(weights_load(path=path).members)
        sources.append({"path": Path(path).name, **weights_meta(path=path)})
    weights_save(path=out, members=members, flip=flip, meta={"sources": sources})
    return weights_load(path=out)
