"""Helpers shared by the mood management commands (a leading underscore: not a command itself).

Nothing here imports torch at module level: Django imports a command's module only to run it, but
keep it cheap anyway.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def stream(output) -> object:
    """The real text stream behind Django's OutputWrapper (tqdm needs raw writes for its ``\\r``)."""
    return getattr(output, "_out", output) or sys.stderr


def progress(command, iterable=None, **kwargs):
    """A tqdm bar on the command's stderr; hidden when stderr is not a terminal."""
    from tqdm import tqdm

    kwargs.setdefault("disable", None)  # None: only on a terminal
    kwargs.setdefault("dynamic_ncols", True)
    return tqdm(iterable, file=stream(command.stderr), **kwargs)


def print_json(command, payload) -> None:
    command.stdout.write(json.dumps(payload, indent=2, sort_keys=False, default=_json_default))


def _json_default(value):
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def project_path(text: str) -> Path:
    """A path given on the command line: ``~`` expanded, relative ones taken from the project."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def weights_out_path(text: str) -> Path:
    """A weights file to write: ``~`` expanded, relative to the project, and ending in ``.pt``."""
    out = project_path(text)
    if out.suffix != ".pt":
        raise CommandError(f"--out must end in .pt, got {out}")
    return out


_FROM_SETTINGS = object()


def load_detector(weights: str | None, *, face_detector: bool = True, threads: int = 0, bf16=_FROM_SETTINGS,
                  temperature: float | None = None):
    """A MoodDetector for ``--weights`` (default: settings.MOOD_WEIGHTS_PATH); CommandError with the
    reason when the file is missing or not a weights file. ``temperature`` None: the calibration
    fitted for the weights (as served); 1: uncalibrated."""
    from moods.ml.detector import MoodDetector
    from moods.ml.errors import WeightsError

    path = Path(weights) if weights else Path(settings.MOOD_WEIGHTS_PATH)
    try:
        return MoodDetector(
            weights_path=path,
            threads=threads or settings.TORCH_THREADS,
            max_pixels=settings.IMAGE_MAX_PIXELS,
            bf16=settings.MOOD_BF16 if bf16 is _FROM_SETTINGS else bf16,
            temperature=temperature,
            face_detector=face_detector,
        )
    except WeightsError as exc:
        raise CommandError(str(exc)) from None


def existing_folder(value: str, option: str = "--data") -> Path:
    path = Path(value).expanduser()
    if not path.exists():
        raise CommandError(f"{option}: {path} does not exist")
    if not path.is_dir():
        raise CommandError(f"{option}: {path} is not a folder")
    return path


def percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def labelled_faces(command, *, folder: Path, labels: str):
    """The labelled faces of ``folder`` (moods.ml.data.dataset_load) with a progress bar; a bad
    dataset is a CommandError."""
    from moods.ml.data import DatasetError, dataset_load

    try:
        return dataset_load(folder=folder, labels=labels,
                            progress=lambda items: progress(command, items, desc="loading faces", unit="img",
                                                            leave=False))
    except DatasetError as exc:
        raise CommandError(str(exc)) from None
