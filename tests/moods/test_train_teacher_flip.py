"""train_mood_model --teacher-flip: the teacher reads each face and its mirror image, as the app does."""

from __future__ import annotations

import pytest
import torch

from moods.ml.losses import teacher_probs
from moods.ml.network import MoodEnsemble, MoodNet
from moods.ml.weights import weights_meta
from tests.moods.test_train_command import FAST, _train
from tests.moods.test_train_distillation import _same, _state


def _teacher(seed: int) -> MoodEnsemble:
    torch.manual_seed(seed)
    return MoodEnsemble([MoodNet(width=4, blocks=(1, 1))]).eval()


def test_mirror_averaged_targets_are_the_mean_of_both_readings_and_differ_from_one_reading():
    teacher = _teacher(0)
    x = torch.rand(3, 1, 48, 48, generator=torch.Generator().manual_seed(1))
    member = teacher.members[0]
    with torch.no_grad():
        direct = (member(x) / 2.0).softmax(1)
        mirrored = (member(torch.flip(x, dims=[3])) / 2.0).softmax(1)

    averaged = teacher_probs(teacher, x, 2.0, flip=True)

    torch.testing.assert_close(averaged, (direct + mirrored) / 2)
    torch.testing.assert_close(teacher_probs(teacher, x, 2.0), direct)
    assert not torch.allclose(averaged, direct)
    torch.testing.assert_close(averaged.sum(1), torch.ones(3))


def test_mirror_averaging_holds_for_a_teacher_of_several_members():
    first, second = _teacher(0).members[0], _teacher(1).members[0]
    pair = MoodEnsemble([first, second]).eval()
    x = torch.rand(2, 1, 48, 48, generator=torch.Generator().manual_seed(2))

    expected = (teacher_probs(MoodEnsemble([first]), x, 2.0, flip=True)
                + teacher_probs(MoodEnsemble([second]), x, 2.0, flip=True)) / 2

    torch.testing.assert_close(teacher_probs(pair, x, 2.0, flip=True), expected)


@pytest.mark.slow  # trains a network
def test_the_option_changes_the_weights_and_is_recorded(data, teacher, tmp_path):
    common = ["--data", str(data), "--epochs", "1", "--seed", "5", "--teacher", str(teacher), *FAST]
    _train(*common, "--out", str(tmp_path / "one.pt"))
    stdout, _ = _train(*common, "--out", str(tmp_path / "both.pt"), "--teacher-flip")

    assert f"teacher {teacher} (weight 0.5, T 2.0, mirror-averaged)" in stdout
    assert not _same(_state(tmp_path / "one.pt"), _state(tmp_path / "both.pt"))
    assert weights_meta(path=tmp_path / "both.pt")["config"]["teacher_flip"] is True
    assert weights_meta(path=tmp_path / "one.pt")["config"]["teacher_flip"] is False
