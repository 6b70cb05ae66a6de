"""train_mood_model --init: fine-tuning starts from the network of a weights file."""

from __future__ import annotations

import pytest
import torch
from django.core.management import CommandError

from moods.ml.weights import weights_combine, weights_meta
from tests.moods.test_train_command import FAST, _train
from tests.moods.test_train_distillation import _state

# Training with a learning rate this small leaves the parameters (nearly) where they started.
STILL = [*FAST[:-2], "--lr", "1e-7"]


def _largest_change(a: dict, b: dict) -> float:
    """The largest difference between two nets' learned parameters (not BatchNorm's running statistics)."""
    learned = [key for key in a if "running_" not in key and "num_batches" not in key]
    return max(float((a[key] - b[key]).abs().max()) for key in learned)


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("init-start") / "start.pt"
    _train("--data", str(data), "--epochs", "2", "--seed", "3", "--out", str(path), *FAST)
    return path


@pytest.mark.slow  # trains a network
def test_the_run_starts_from_the_given_network_and_records_it(data, trained, tmp_path):
    common = ["--data", str(data), "--epochs", "1", "--seed", "4", *STILL]
    stdout, _ = _train(*common, "--out", str(tmp_path / "tuned.pt"), "--init", str(trained))
    _train(*common, "--out", str(tmp_path / "fresh.pt"))

    assert _largest_change(_state(tmp_path / "tuned.pt"), _state(trained)) < 1e-4
    assert _largest_change(_state(tmp_path / "fresh.pt"), _state(trained)) > 0.1  # random start: far away
    assert f"starting from {trained.resolve()}" in stdout
    assert weights_meta(path=tmp_path / "tuned.pt")["config"]["init"] == str(trained.resolve())
    assert weights_meta(path=tmp_path / "fresh.pt")["config"]["init"] == ""


@pytest.mark.slow  # trains a network
def test_another_architecture_or_an_ensemble_is_refused_and_nothing_is_written(data, trained, tmp_path):
    pair = tmp_path / "pair.pt"
    weights_combine(paths=[trained, trained], out=pair)
    with pytest.raises(CommandError, match="--init: .*holds 2 networks; start from a file with one"):
        _train("--data", str(data), *FAST, "--out", str(tmp_path / "x.pt"), "--init", str(pair))
    with pytest.raises(CommandError, match=r"--init: .*'width': 4.*this run trains .*'width': 8.*--width"):
        _train("--data", str(data), *FAST, "--width", "8", "--out", str(tmp_path / "x.pt"), "--init", str(trained))
    assert [path.name for path in tmp_path.iterdir()] == ["pair.pt"]


def test_a_missing_or_same_file_is_refused(data, tmp_path):
    with pytest.raises(CommandError, match="--init: no weights file at"):
        _train("--data", str(data), *FAST, "--out", str(tmp_path / "x.pt"), "--init", str(tmp_path / "none.pt"))
    with pytest.raises(CommandError, match="--init and --out are the same file"):
        _train("--data", str(data), *FAST, "--out", str(tmp_path / "x.pt"), "--init", str(tmp_path / "x.pt"))
    assert not list(tmp_path.iterdir())
