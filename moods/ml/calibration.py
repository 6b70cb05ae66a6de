"""Confidence that means what it says: temperature scaling of the served probabilities, and the
expected calibration error (ECE) that measures it.

The served probabilities are the ensemble's flip-averaged softmax ``p``. Temperature scaling
serves ``p ** (1 / T)``, renormalised: a monotone change of each row, so the most probable mood
(the argmax) never changes, only how sure the answer says it is. ``T`` is fitted on labelled faces
by minimising the negative log-likelihood, and kept in a small JSON file beside the weights
(``<weights stem>.calibration.json``) that names the weights it was fitted for by their sha256.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from pathlib import Path

import numpy as np

from .errors import WeightsError

logger = logging.getLogger(__name__)

FORMAT = "vexora-mood-calibration/1"
ECE_BINS = 15
_EPS = 1e-12


def temperature_apply(probs, temperature: float) -> np.ndarray:
    """Rows of probabilities -> ``p ** (1 / T)`` renormalised (float64); T = 1 changes nothing."""
    probs = np.asarray(probs, dtype=np.float64)
    if temperature == 1.0:
        return probs
    scaled = np.power(probs, 1.0 / temperature)
    return scaled / scaled.sum(axis=1, keepdims=True)


def negative_log_likelihood(probs, labels) -> float:
    """Mean -log p(true mood) over the faces."""
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    return float(-np.mean(np.log(np.clip(probs[np.arange(len(labels)), labels], _EPS, None))))


def temperature_fit(probs, labels, *, low: float = 0.05, high: float = 20.0) -> float:
    """The temperature in [low, high] that minimises the NLL of ``temperature_apply(probs, T)``.

    The NLL is convex in 1/T (a log-sum-exp of a linear function of it), so a golden-section search
    on 1/T finds the minimum."""
    log_probs = np.log(np.clip(np.asarray(probs, dtype=np.float64), _EPS, None))
    labels = np.asarray(labels, dtype=np.int64)
    picked = log_probs[np.arange(len(labels)), labels]

    def nll(beta: float) -> float:
        z = beta * log_probs
        top = z.max(axis=1)
        return float(np.mean(top + np.log(np.exp(z - top[:, None]).sum(axis=1)) - beta * picked))

    a, b = 1.0 / high, 1.0 / low
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = nll(c), nll(d)
    while b - a > 1e-7:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = nll(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = nll(d)
    return 1.0 / ((a + b) / 2)


def _bin_index(confidence: np.ndarray, bins: int) -> np.ndarray:
    """Equal-width bins over (0, 1]: bin i holds confidences in (i / bins, (i + 1) / bins]."""
    return np.clip(np.ceil(confidence * bins).astype(np.int64) - 1, 0, bins - 1)


def reliability_table(probs, labels, *, bins: int = ECE_BINS) -> list[dict]:
    """Per confidence bin (top-class probability, equal widths): how many faces, their mean
    confidence and how often the top class was right. Empty bins are left out."""
    probs = np.asarray(probs, dtype=np.float64)
    confidence = probs.max(axis=1)
    right = probs.argmax(axis=1) == np.asarray(labels)
    index = _bin_index(confidence, bins)
    rows = []
    for i in range(bins):
        member = index == i
        if member.any():
            rows.append({"low": i / bins, "high": (i + 1) / bins, "count": int(member.sum()),
                         "confidence": float(confidence[member].mean()), "accuracy": float(right[member].mean())})
    return rows


def expected_calibration_error(probs, labels, *, bins: int = ECE_BINS) -> float:
    """ECE: the count-weighted mean, over equal-width bins of the top-class probability, of
    |accuracy - mean confidence| (Guo et al. 2017). 0 is perfectly calibrated."""
    total = len(labels)
    if total == 0:
        return 0.0
    return float(sum(row["count"] / total * abs(row["accuracy"] - row["confidence"])
                     for row in reliability_table(probs, labels, bins=bins)))


# --- the file beside the weights ------------------------------------------------------------------

def calibration_path(weights_path: str | Path) -> Path:
    """``ml_weights/mood_cnn.pt`` -> ``ml_weights/mood_cnn.calibration.json``."""
    weights_path = Path(weights_path)
    return weights_path.with_name(f"{weights_path.stem}.calibration.json")


def weights_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def calibration_save(*, weights_path: str | Path, temperature: float, report: dict | None = None) -> Path:
    """Writes the temperature for these weights (and how it was measured) beside them."""
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"a temperature must be a positive number, got {temperature}")
    path = calibration_path(weights_path)
    blob = {"format": FORMAT, "weights_sha256": weights_sha256(weights_path), "temperature": temperature,
            **(report or {})}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(blob, indent=2) + "\n")
    tmp.replace(path)
    return path


def calibration_load(*, weights_path: str | Path) -> float:
    """The temperature to serve these weights with: the one in the file beside them, or 1 (as the
    network says) when there is none or it was fitted for other weights (logged). A file that is
    not a calibration file is a WeightsError."""
    path = calibration_path(weights_path)
    if not path.is_file():
        return 1.0
    try:
        blob = json.loads(path.read_text())
        if blob.get("format") != FORMAT:
            raise ValueError("not a Vexora calibration file")
        temperature = float(blob["temperature"])
        if not (math.isfinite(temperature) and temperature > 0):
            raise ValueError(f"temperature {temperature} is not a positive number")
        fitted_for = str(blob["weights_sha256"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WeightsError(f"{path} is not a usable calibration file: {exc}") from exc
    if fitted_for != weights_sha256(weights_path):
        logger.warning("%s was fitted for other weights than %s; serving uncalibrated probabilities "
                       "(run calibrate_mood_model)", path, weights_path)
        return 1.0
    return temperature
