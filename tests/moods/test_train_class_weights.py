"""train_mood_model --class-weight-power: how much the rarer moods weigh in the labels' loss."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from django.core.management import CommandError

from moods.ml.losses import class_weights
from moods.ml.weights import weights_meta
from tests.moods.test_train_command import FAST, _train
from tests.moods.test_train_distillation import _same, _state


def test_weights_follow_the_power_and_keep_the_weighted_count_of_faces():
    labels = np.array([0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3])  # counts 1, 3, 6, 2 of 12 faces

    # power 1: 12/count = 12, 4, 2, 6; scaled so that sum(weight * count) = 12 (the sum is 48)
    torch.testing.assert_close(class_weights(labels, 1.0), torch.tensor([3.0, 1.0, 0.5, 1.5]))
    torch.testing.assert_close(class_weights(labels, 0.0), torch.ones(4))
    half = class_weights(labels, 0.5)
    assert float((half * torch.tensor([1.0, 3, 6, 2])).sum()) == pytest.approx(12.0)
    assert half[0] / half[2] == pytest.approx(6**0.5)


@pytest.mark.slow  # trains a network
def test_the_option_changes_the_weights_and_is_recorded(data, tmp_path):
    common = ["--data", str(data), "--epochs", "1", "--seed", "5", *FAST]
    plain, _ = _train(*common, "--out", str(tmp_path / "default.pt"))
    stdout, _ = _train(*common, "--out", str(tmp_path / "inverse.pt"), "--class-weight-power", "1")

    assert "class-weight power 0.5" in plain and "class-weight power 1.0" in stdout
    assert not _same(_state(tmp_path / "default.pt"), _state(tmp_path / "inverse.pt"))
    assert weights_meta(path=tmp_path / "inverse.pt")["config"]["class_weight_power"] == 1.0
    assert weights_meta(path=tmp_path / "default.pt")["config"]["class_weight_power"] == 0.5


def test_a_negative_power_is_refused_and_nothing_is_written(data, tmp_path):
    with pytest.raises(CommandError, match="--class-weight-power: must be 0 or more, got -1"):
        _train("--data", str(data), *FAST, "--out", str(tmp_path / "x.pt"), "--class-weight-power", "-1")
    assert not list(tmp_path.iterdir())
