"""train_mood_model --cutmix / --erase: how strongly the training faces are augmented."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from moods.ml.weights import weights_meta
from tests.moods.test_train_command import FAST, _train
from tests.moods.test_train_distillation import _same, _state


@pytest.mark.slow  # trains a network
def test_the_options_change_the_training_and_are_recorded(data, tmp_path):
    common = ["--data", str(data), "--epochs", "1", "--seed", "5", *FAST]
    plain, _ = _train(*common, "--out", str(tmp_path / "default.pt"))
    light, _ = _train(*common, "--out", str(tmp_path / "light.pt"), "--cutmix", "0", "--erase", "0")

    assert "CutMix 0.5, erasing 0.5" in plain and "CutMix 0.0, erasing 0.0" in light
    assert not _same(_state(tmp_path / "default.pt"), _state(tmp_path / "light.pt"))
    assert {key: weights_meta(path=tmp_path / "light.pt")["config"][key] for key in ("cutmix", "erase")} == {
        "cutmix": 0.0, "erase": 0.0}
    assert weights_meta(path=tmp_path / "default.pt")["config"]["cutmix"] == 0.5


@pytest.mark.parametrize("option, value", [("--cutmix", "1.5"), ("--erase", "-0.1")])
def test_a_probability_outside_0_to_1_is_refused_and_nothing_is_written(data, tmp_path, option, value):
    with pytest.raises(CommandError, match=f"{option}: must be between 0 and 1, got {value}"):
        _train("--data", str(data), *FAST, "--out", str(tmp_path / "x.pt"), option, value)
    assert not list(tmp_path.iterdir())
