"""train_mood_model end to end on a tiny generated dataset, in seconds."""

from __future__ import annotations

import io
import json

import pytest
import torch
from django.core.management import call_command
from django.core.management.base import CommandError

from moods.management.commands.train_mood_model import DEFAULT_OUT, Command
from moods.ml.detector import MoodDetector
from moods.ml.network import MOODS
from moods.ml.weights import weights_meta
from tests.moods.conftest import make_face_folder

pytestmark = pytest.mark.slow  # every test here trains a network

FAST = ["--labels", "fer2013", "--width", "4", "--batch-size", "16", "--limit", "64", "--threads", "1", "--lr", "0.05"]


def _train(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("train_mood_model", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_short_run_writes_loadable_weights_and_reports_every_epoch(data, tmp_path):
    out_path = tmp_path / "w.pt"

    stdout, _ = _train("--data", str(data), "--epochs", "2", "--out", str(out_path), *FAST)

    assert stdout.count("epoch ") >= 2
    for line in [line for line in stdout.splitlines() if line.startswith("epoch ")]:
        assert "loss" in line and "val acc" in line and "macro-F1" in line and " s" in line
        assert all(mood in line for mood in MOODS)  # per-class recall
    assert f"weights saved to {out_path}" in stdout
    blob = torch.load(out_path, map_location="cpu", weights_only=True)
    assert blob["members"][0]["config"]["width"] == 4
    detector = MoodDetector(weights_path=out_path, face_detector=False)
    assert len(detector.classify_arrays(torch.zeros(3, 48, 48, dtype=torch.uint8).numpy())) == 3
    meta = weights_meta(path=out_path)
    assert meta["config"]["limit"] == 64 and meta["train_counts"] and sum(meta["train_counts"].values()) == 64


def test_json_output_and_the_same_seed_gives_the_same_run(data, tmp_path):
    runs = []
    for name in ("a", "b"):
        stdout, stderr = _train("--data", str(data), "--epochs", "1", "--seed", "7", "--json",
                                "--out", str(tmp_path / f"{name}.pt"), *FAST)
        runs.append(json.loads(stdout))  # stdout is pure JSON; the human lines went to stderr
        assert "epoch 1/1" in stderr

    first, second = runs
    assert first["out"].endswith("a.pt") and first["best"]["epoch"] == 1
    assert set(first["best"]["val_recall"]) <= set(MOODS)
    for key in ("train_loss", "val_accuracy", "val_macro_f1"):
        assert first["best"][key] == second["best"][key]
    a = torch.load(tmp_path / "a.pt", weights_only=True)["members"][0]["state_dict"]
    b = torch.load(tmp_path / "b.pt", weights_only=True)["members"][0]["state_dict"]
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_a_finished_run_resumes_to_nothing_and_no_resume_starts_again(data, tmp_path):
    out_path = tmp_path / "w.pt"
    args = ["--data", str(data), "--epochs", "1", "--out", str(out_path), *FAST]
    _train(*args)
    assert (tmp_path / "w.resume.pt").is_file()

    again, _ = _train(*args)
    assert "resuming from" in again
    assert "epoch 1/1" not in again  # nothing left to train

    fresh, _ = _train(*args, "--no-resume")
    assert "removed the old checkpoint" in fresh
    assert "epoch 1/1" in fresh


def test_resuming_with_other_settings_is_refused_clearly(data, tmp_path):
    out_path = tmp_path / "w.pt"
    _train("--data", str(data), "--epochs", "1", "--out", str(out_path), *FAST)
    with pytest.raises(CommandError, match="other settings"):
        _train("--data", str(data), "--epochs", "1", "--out", str(out_path), *FAST[:-2], "--lr", "0.01")


def test_a_run_can_be_extended_on_resume(data, tmp_path):
    out_path = tmp_path / "w.pt"
    _train("--data", str(data), "--epochs", "1", "--out", str(out_path), *FAST)

    stdout, _ = _train("--data", str(data), "--epochs", "2", "--out", str(out_path), "--json", *FAST)

    history = json.loads(stdout)["history"]
    assert [record["epoch"] for record in history] == [1, 2]  # epoch 1 kept, only epoch 2 trained
    assert [record["planned_epochs"] for record in history] == [1, 2]


def test_a_resume_may_change_precision_and_threads_but_not_the_recipe(data, tmp_path):
    out_path = tmp_path / "w.pt"
    _train("--data", str(data), "--epochs", "1", "--out", str(out_path), "--no-bf16", *FAST)

    stdout, _ = _train("--data", str(data), "--epochs", "2", "--out", str(out_path), "--bf16", "--json",
                       *FAST[:-4], "--threads", "2", "--lr", "0.05")

    assert [record["epoch"] for record in json.loads(stdout)["history"]] == [1, 2]
    with pytest.raises(CommandError, match="other settings"):
        _train("--data", str(data), "--epochs", "3", "--out", str(out_path), *FAST[:2], "--width", "6",
               *FAST[4:])


def test_bf16_defaults_to_what_the_cpu_runs_natively(data, tmp_path):
    from moods.ml.cpu import bf16_native

    _, stderr = _train("--data", str(data), "--epochs", "1", "--json", "--out", str(tmp_path / "w.pt"), *FAST)

    assert ("bfloat16" if bf16_native() else "float32") in stderr.splitlines()[0]
    assert Command().create_parser("manage.py", "train_mood_model").parse_args(["--data", "x"]).bf16 is None


def test_the_default_output_never_overwrites_the_shipped_weights():
    parser = Command().create_parser("manage.py", "train_mood_model")
    options = parser.parse_args(["--data", "somewhere"])
    assert options.out == DEFAULT_OUT == "ml_weights/mood_cnn.new.pt"
    assert options.resume is True


@pytest.mark.parametrize(
    "layout, message",
    [
        ("missing", "does not exist"),
        ("file", "is not a folder"),
        ("no-val", "needs train/ and val/"),
        ("empty", "no class sub-folders"),
        ("not-moods", "not moods"),
        ("no-images", "no labelled face images"),
    ],
)
def test_bad_data_gives_a_clear_command_error(tmp_path, layout, message):
    root = tmp_path / "data"
    if layout == "file":
        root.write_text("not a folder")
    elif layout == "no-val":
        make_face_folder(root / "train", {"happy": 2})
    elif layout == "empty":
        (root / "train").mkdir(parents=True)
        (root / "val").mkdir()
    elif layout == "not-moods":
        make_face_folder(root / "train", {"happy": 2})
        make_face_folder(root / "val", {"happy": 2})
        (root / "train" / "surprised").mkdir()
    elif layout == "no-images":
        for split in ("train", "val"):
            (root / split / "happy").mkdir(parents=True)
            (root / split / "happy" / "notes.txt").write_text("no pictures here")

    with pytest.raises(CommandError, match=message):
        _train("--data", str(root), "--epochs", "1", "--out", str(tmp_path / "w.pt"), *FAST)
    assert not (tmp_path / "w.pt").exists()


def test_nonsense_numbers_are_refused_by_the_parser(tmp_path):
    with pytest.raises(CommandError, match="--epochs"):
        _train("--data", str(tmp_path), "--epochs", "0")
