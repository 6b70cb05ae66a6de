"""Loading face-crop datasets into memory as uint8 arrays.

Two sources:
- an ImageFolder (one sub-folder per mood; any subset of the four moods), labelled by folder;
- the FER2013 folders relabelled by FER+ through ``ferplus_labels.csv`` (found in the folder
  given or one of its parents), keeping only faces whose FER+ majority is one of our moods.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from .errors import DatasetError
from .network import MOODS
from .preprocess import face_to_array

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
LABEL_SOURCES = ("folder", "fer2013", "ferplus")


@dataclass
class FaceDataset:
    images: np.ndarray  # (N, 48, 48) uint8
    labels: np.ndarray  # (N,) int64, indexes into MOODS (-1: no mood label)
    paths: list[str]
    skipped: int = 0  # unreadable files

    def __len__(self) -> int:
        return len(self.labels)

    def class_counts(self) -> dict[str, int]:
        counts = np.bincount(self.labels[self.labels >= 0], minlength=len(MOODS))
        return {mood: int(counts[i]) for i, mood in enumerate(MOODS)}


def _find_ferplus_csv(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        csv_path = candidate / "ferplus_labels.csv"
        if csv_path.is_file():
            return csv_path
    raise DatasetError(f"no ferplus_labels.csv in {folder} or any folder above it")


def _read_list(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if line.strip()}


def _val_duplicates(root: Path) -> set[str]:
    """Train images pixel-identical to a val image: kept out of training so val stays honest."""
    leaked: set[str] = set()
    path = root / "duplicate_groups.txt"
    if not path.is_file():
        return leaked
    for line in path.read_text().splitlines():
        group = [p for p in line.split("\t") if p]
        if any(p.startswith("val/") for p in group):
            leaked.update(p for p in group if not p.startswith("val/"))
    return leaked


def _ferplus_files(folder: Path, keep: tuple[str, ...]) -> list[tuple[Path, str]]:
    """(file, FER+ label) pairs under ``folder`` whose FER+ label is one of ``keep``, leaving out
    blank images and train images that duplicate a val image."""
    csv_path = _find_ferplus_csv(folder)
    root = csv_path.parent
    excluded = _read_list(root / "blank_images.txt") | _val_duplicates(root)
    wanted = folder.resolve()
    pairs = []
    with csv_path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            file = (root / row["path"]).resolve()
            if row["ferplus_label"] not in keep or row["path"] in excluded:
                continue
            if wanted != file and wanted not in file.parents:
                continue
            pairs.append((file, row["ferplus_label"]))
    return sorted(pairs)


def _labelled_files(folder: Path, labels: str) -> list[tuple[Path, int]]:
    """(file, mood index) pairs under ``folder`` for the given label source."""
    if not folder.is_dir():
        raise DatasetError(f"{folder} is not a folder")
    if labels == "ferplus":
        return [(file, MOODS.index(label)) for file, label in _ferplus_files(folder, MOODS)]
    if labels not in LABEL_SOURCES:
        raise DatasetError(f"unknown label source {labels!r}; choose one of {', '.join(LABEL_SOURCES)}")
    class_dirs = [d for d in sorted(folder.iterdir()) if d.is_dir()]
    unknown = [d.name for d in class_dirs if d.name not in MOODS]
    if not class_dirs:
        raise DatasetError(f"{folder} has no class sub-folders (expected some of: {', '.join(MOODS)})")
    if unknown:
        raise DatasetError(f"{folder} has sub-folders that are not moods: {', '.join(unknown)} "
                           f"(expected some of: {', '.join(MOODS)})")
    excluded = set()
    for candidate in (folder, folder.parent):
        excluded |= {str((candidate / p).resolve()) for p in _read_list(candidate / "blank_images.txt")}
        excluded |= {str((candidate / p).resolve()) for p in _val_duplicates(candidate)}
    return [
        (f, MOODS.index(d.name))
        for d in class_dirs
        for f in sorted(d.iterdir())
        if f.suffix.lower() in IMAGE_SUFFIXES and str(f.resolve()) not in excluded
    ]


def dataset_load(*, folder: str | Path, labels: str = "folder", progress=None) -> FaceDataset:
    """Reads every labelled face under ``folder`` into memory.

    ``labels``: ``folder`` (or its alias ``fer2013``, the folder names of the FER2013 edition) or
    ``ferplus``. ``progress`` is an optional callable wrapping an iterable (e.g. tqdm).
    """
    pairs = _labelled_files(Path(folder), labels)
    if not pairs:
        raise DatasetError(f"no labelled face images found in {folder}")
    return _read_faces(pairs=pairs, progress=progress, folder=folder)


def other_faces_load(*, folder: str | Path, progress=None) -> FaceDataset:
    """The faces under ``folder`` whose FER+ majority is none of our moods (``other``: surprise,
    fear, disgust, contempt, unknown or no majority). They carry no mood label (labels are -1);
    training can still learn a teacher's reading of them. Faces FER+ dropped as non-faces stay out."""
    pairs = [(file, -1) for file, _ in _ferplus_files(Path(folder), ("other",))]
    if not pairs:
        raise DatasetError(f"no faces labelled 'other' by FER+ found in {folder}")
    return _read_faces(pairs=pairs, progress=progress, folder=folder)


def _read_faces(*, pairs: list[tuple[Path, int]], progress, folder) -> FaceDataset:
    arrays, targets, paths, skipped = [], [], [], 0
    iterator = progress(pairs) if progress else pairs
    for file, target in iterator:
        try:
            with Image.open(file) as img:
                arrays.append(face_to_array(img))
        except (OSError, UnidentifiedImageError):
            skipped += 1
            continue
        targets.append(target)
        paths.append(str(file))
    if not arrays:
        raise DatasetError(f"none of the images in {folder} could be read")
    return FaceDataset(np.stack(arrays), np.asarray(targets, dtype=np.int64), paths, skipped)
