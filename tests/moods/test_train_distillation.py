"""train_mood_model --teacher: distillation from a weights file, its loss, and its errors."""

from __future__ import annotations

import math

import pytest
import torch
from django.core.management.base import CommandError

from moods.ml.losses import distill_loss
from moods.ml.weights import weights_meta
from tests.moods.test_train_command import FAST, _train


def _state(path):
    return torch.load(path, map_location="cpu", weights_only=True)["members"][0]["state_dict"]


def _same(a, b) -> bool:
    return all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.slow  # trains a network
def test_the_teacher_changes_what_is_learned_and_a_zero_weight_changes_nothing(data, teacher, tmp_path):
    common = ["--data", str(data), "--epochs", "1", "--seed", "5", *FAST]
    _train(*common, "--out", str(tmp_path / "plain.pt"))
    _train(*common, "--out", str(tmp_path / "zero.pt"), "--teacher", str(teacher), "--distill", "0")
    stdout, _ = _train(*common, "--out", str(tmp_path / "taught.pt"), "--teacher", str(teacher))

    assert f"teacher {teacher} (weight 0.5, T 2.0)" in stdout
    assert _same(_state(tmp_path / "plain.pt"), _state(tmp_path / "zero.pt"))
    assert not _same(_state(tmp_path / "plain.pt"), _state(tmp_path / "taught.pt"))
    config = weights_meta(path=tmp_path / "taught.pt")["config"]
    assert (config["teacher"], config["distill"], config["distill_temperature"]) == (str(teacher), 0.5, 2.0)


@pytest.mark.slow  # trains a network
def test_a_resume_with_another_teacher_is_refused(data, teacher, tmp_path):
    out = str(tmp_path / "w.pt")
    _train("--data", str(data), "--epochs", "1", "--out", out, "--teacher", str(teacher), *FAST)

    with pytest.raises(CommandError, match="other settings"):
        _train("--data", str(data), "--epochs", "2", "--out", out, *FAST)


def test_distill_loss_is_zero_on_agreement_and_matches_a_hand_computed_kl():
    logits = torch.tensor([[2.0, 0.0, 0.0, 0.0]])
    agreeing = (logits / 2).softmax(1)
    assert float(distill_loss(logits, agreeing, 2.0)) == pytest.approx(0.0, abs=1e-7)

    teacher = torch.tensor([[0.25, 0.25, 0.25, 0.25]])
    student = [math.exp(1) / (math.exp(1) + 3), 1 / (math.exp(1) + 3), 1 / (math.exp(1) + 3), 1 / (math.exp(1) + 3)]
    kl = sum(0.25 * math.log(0.25 / q) for q in student)
    assert float(distill_loss(logits, teacher, 2.0)) == pytest.approx(kl * 4, rel=1e-5)  # scaled by T^2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--teacher", "nowhere.pt"], "--teacher: no weights file at"),
        (["--distill", "1.5"], "--distill"),
        (["--distill-temperature", "0"], "--distill-temperature"),
    ],
)
def test_bad_teacher_options_are_refused_clearly(data, tmp_path, extra, message):
    with pytest.raises(CommandError, match=message):
        _train("--data", str(data), "--epochs", "1", "--out", str(tmp_path / "w.pt"), *extra, *FAST)
    assert not (tmp_path / "w.pt").exists()


def test_a_file_that_is_not_weights_and_the_output_itself_are_refused_as_teacher(data, tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a weights file")
    with pytest.raises(CommandError, match="--teacher: .*not a loadable weights file"):
        _train("--data", str(data), "--epochs", "1", "--out", str(tmp_path / "w.pt"), "--teacher", str(junk), *FAST)

    with pytest.raises(CommandError, match="--teacher and --out are the same file"):
        _train("--data", str(data), "--epochs", "1", "--out", str(junk), "--teacher", str(junk), *FAST)
