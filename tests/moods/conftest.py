"""Shared fixtures for the mood tests: the test portrait and one detector for the session.

Everything runs offline: the CNN weights come from settings.MOOD_WEIGHTS_PATH, MTCNN's from the
facenet-pytorch package, the photo from tests/moods/data (public domain, see the README there).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

# Passive OpenMP threads, set before any test module imports torch: the tests share the CPU with
# Chromium, live servers and each other, where spinning threads cost far more than they save.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pytest
from PIL import Image

DATA = Path(__file__).parent / "data"
ASTRONAUT = DATA / "astronaut.jpg"
# Where Eileen Collins' face is in astronaut.jpg (384x384), by eye: generous bounds for the box centre.
FACE_CENTRE_X = (0.30, 0.60)
FACE_CENTRE_Y = (0.10, 0.40)


def jpeg_bytes(image: Image.Image, **save_args) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, **save_args)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def astronaut_bytes() -> bytes:
    return ASTRONAUT.read_bytes()


@pytest.fixture
def astronaut(astronaut_bytes) -> Image.Image:
    with Image.open(io.BytesIO(astronaut_bytes)) as img:
        return img.convert("RGB")


@pytest.fixture(scope="session")
def detector():
    """The process-wide detector, as the app uses it (loaded once for the whole session)."""
    from moods.services import get_detector

    return get_detector()


@pytest.fixture(scope="session")
def upright(detector, astronaut_bytes):
    """The detection of the upright portrait, the reference the variants are compared with."""
    return detector.detect(astronaut_bytes)


def assert_same_face(box, reference, tolerance: float = 0.12):
    """Two boxes of the same face: every edge within ``tolerance`` of the reference face's width."""
    slack = tolerance * (reference[2] - reference[0])
    assert all(abs(a - b) <= slack for a, b in zip(box, reference)), (box, reference)


# --- a tiny synthetic face-crop dataset --------------------------------------------------------

def _pattern(mood: str, rng) -> "np.ndarray":
    """A 48x48 grey picture whose pattern depends on the mood (stripes, bars, checks, rings), with a
    random phase, contrast and noise: easy for the CNN to tell apart after a couple of epochs."""
    import numpy as np

    y, x = np.mgrid[0:48, 0:48].astype(np.float64)
    phase = rng.uniform(0, 2 * np.pi)
    if mood == "angry":
        base = np.sin(y / 2.0 + phase)
    elif mood == "happy":
        base = np.sin(x / 2.0 + phase)
    elif mood == "neutral":
        base = np.sign(np.sin(x / 3.0 + phase) * np.sin(y / 3.0 + phase))
    else:  # sad
        base = np.sin(np.hypot(x - 24, y - 24) / 2.0 + phase)
    pixels = 128 + rng.uniform(40, 90) * base + rng.normal(0, 12, base.shape)
    return np.clip(pixels, 0, 255).astype(np.uint8)


def make_face_folder(root: Path, counts: dict[str, int], seed: int = 0, suffix: str = ".png") -> Path:
    """An ImageFolder: root/<mood>/<n>.png with ``counts[mood]`` synthetic 48x48 grey crops."""
    import numpy as np

    rng = np.random.default_rng(seed)
    for mood, count in counts.items():
        (root / mood).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            Image.fromarray(_pattern(mood, rng)).save(root / mood / f"{i:03d}{suffix}")
    return root


def make_split_dataset(root: Path, train_per_class: int = 24, val_per_class: int = 8) -> Path:
    from moods.ml.network import MOODS

    make_face_folder(root / "train", {m: train_per_class for m in MOODS}, seed=1)
    make_face_folder(root / "val", {m: val_per_class for m in MOODS}, seed=2)
    return root


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A tiny train/ + val/ dataset for the training-command tests (one per test module)."""
    return make_split_dataset(tmp_path_factory.mktemp("split-data"))


@pytest.fixture(scope="session")
def teacher(tmp_path_factory) -> Path:
    """An untrained width-4 net's weights file, a teacher for the distillation tests."""
    import torch

    from moods.ml.network import MoodNet
    from moods.ml.weights import weights_save

    torch.manual_seed(11)
    path = tmp_path_factory.mktemp("teacher") / "teacher.pt"
    weights_save(path=path, members=[MoodNet(width=4)])
    return path


@pytest.fixture(scope="session")
def tiny_weights(tmp_path_factory) -> Path:
    """Weights of a small net trained for a few epochs on the synthetic patterns (not a mock: a real,
    if tiny, training run), so its predictions vary from picture to picture."""
    from moods.ml.training import TrainConfig, train

    root = make_split_dataset(tmp_path_factory.mktemp("tiny-data"))
    out = tmp_path_factory.mktemp("tiny-weights") / "tiny.pt"
    train(TrainConfig(data=str(root), labels="folder", epochs=3, batch_size=16, lr=0.05, width=4,
                      warmup_epochs=0, threads=1, seed=3), out=out)
    return out
