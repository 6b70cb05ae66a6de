"""train_mood_model --other-faces: the FER+ "other" faces of train/, learnt from the teacher only."""

from __future__ import annotations

import json

import pytest
import torch
import torch.nn.functional as F
from django.core.management.base import CommandError

from moods.ml.data import DatasetError, dataset_load, other_faces_load
from moods.ml.network import MOODS
from moods.ml.losses import label_loss
from moods.ml.weights import weights_meta
from tests.moods.conftest import make_face_folder, make_split_dataset
from tests.moods.test_train_command import FAST, _train
from tests.moods.test_train_distillation import _state


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A split dataset with a FER+ csv: every file keeps its folder's mood, and train/ gets 12 more
    faces FER+ calls 'other', 2 it dropped, 1 blank 'other' and 1 'other' duplicating a val face."""
    root = make_split_dataset(tmp_path_factory.mktemp("other-data"))
    make_face_folder(root / "train-extra", {"happy": 16}, seed=7)
    rows = ["path,fer2013_label,ferplus_label"]
    for split in ("train", "val"):
        rows += [f"{split}/{f.parent.name}/{f.name},{f.parent.name},{f.parent.name}"
                 for f in sorted((root / split).glob("*/*.png"))]
    extra = sorted((root / "train-extra" / "happy").glob("*.png"))
    for i, file in enumerate(extra):
        target = root / "train" / "happy" / f"x{file.name}"
        file.rename(target)
        label = "dropped" if i < 2 else "other"
        rows.append(f"train/happy/{target.name},happy,{label}")
    (root / "ferplus_labels.csv").write_text("\n".join(rows) + "\n")
    (root / "blank_images.txt").write_text("train/happy/x002.png\n")
    (root / "duplicate_groups.txt").write_text("train/happy/x003.png\tval/sad/000.png\n")
    return root


def test_only_the_usable_other_faces_are_loaded_and_they_carry_no_mood(data):
    others = other_faces_load(folder=data / "train")
    labelled = dataset_load(folder=data / "train", labels="ferplus")

    # 16 extra faces: 2 dropped, 1 blank, 1 duplicating a val face -> 12
    assert len(others) == 12
    assert sorted(p.rsplit("/", 1)[1] for p in others.paths) == [f"x{i:03d}.png" for i in range(4, 16)]
    assert set(others.labels.tolist()) == {-1}
    assert others.class_counts() == {m: 0 for m in MOODS}
    assert len(labelled) == 24 * 4  # the labelled set is untouched by them
    with pytest.raises(DatasetError, match="no faces labelled 'other'"):
        other_faces_load(folder=data / "val")


@pytest.mark.slow  # trains a network
def test_other_faces_add_training_steps_and_change_what_is_learned(data, teacher, tmp_path):
    common = [*FAST, "--data", str(data), "--labels", "ferplus", "--epochs", "1", "--seed", "5",
              "--teacher", str(teacher)]
    _train(*common, "--out", str(tmp_path / "taught.pt"))
    stdout, _ = _train(*common, "--out", str(tmp_path / "other.pt"), "--other-faces")

    assert "plus the FER+ other faces" in stdout
    assert "plus 12 other faces (teacher only)" in stdout
    taught, other = _state(tmp_path / "taught.pt"), _state(tmp_path / "other.pt")
    assert any(not torch.equal(taught[k], other[k]) for k in taught)
    meta = weights_meta(path=tmp_path / "other.pt")
    assert meta["config"]["other_faces"] is True
    assert meta["train_other_faces"] == 12
    assert sum(meta["train_counts"].values()) == 64  # --limit applies to the labelled faces only


@pytest.mark.slow  # trains a network
def test_json_output_counts_the_other_faces(data, teacher, tmp_path):
    stdout, _ = _train(*FAST, "--data", str(data), "--labels", "ferplus", "--epochs", "1", "--teacher", str(teacher),
                       "--other-faces", "--out", str(tmp_path / "w.pt"), "--json")
    assert json.loads(stdout)["train_other_faces"] == 12


@pytest.mark.parametrize(
    "extra",
    [["--labels", "ferplus"], ["--labels", "fer2013", "--teacher", "TEACHER"]],
    ids=["no-teacher", "fer2013-labels"],
)
def test_other_faces_without_a_teacher_or_ferplus_labels_are_refused(data, teacher, tmp_path, extra):
    extra = [str(teacher) if arg == "TEACHER" else arg for arg in extra]
    with pytest.raises(CommandError, match="--other-faces needs --teacher"):
        _train(*FAST, "--data", str(data), "--epochs", "1", "--other-faces", "--out", str(tmp_path / "w.pt"),
               *extra)
    assert not (tmp_path / "w.pt").exists()


def test_label_loss_ignores_unlabelled_faces_and_is_zero_without_labels():
    torch.manual_seed(0)
    logits = torch.randn(4, 4, requires_grad=True)
    weight = torch.tensor([1.0, 0.5, 2.0, 1.5])
    target = torch.tensor([0, -1, 2, -1])

    got = label_loss(logits, target, weight=weight, label_smoothing=0.1)
    expected = F.cross_entropy(logits[[0, 2]], target[[0, 2]], weight=weight, label_smoothing=0.1)
    assert got.item() == pytest.approx(expected.item(), rel=1e-6)

    none = label_loss(logits, torch.full((4,), -1), weight=weight)
    assert none.item() == 0.0
    none.backward()  # still part of the graph: a batch of only unlabelled faces trains through the teacher term
    assert logits.grad is not None


@pytest.mark.slow  # trains a network
def test_a_checkpoint_written_before_the_option_existed_still_resumes(data, teacher, tmp_path):
    out = tmp_path / "w.pt"
    common = [*FAST, "--data", str(data), "--labels", "ferplus", "--teacher", str(teacher), "--out", str(out)]
    _train(*common, "--epochs", "1")
    checkpoint = out.with_suffix(".resume.pt")
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    del state["config"]["other_faces"]  # as a checkpoint of an older version has it
    torch.save(state, checkpoint)

    stdout, _ = _train(*common, "--epochs", "2")

    assert weights_meta(path=out)["epoch"] in (1, 2)
    assert torch.load(checkpoint, map_location="cpu", weights_only=False)["epoch"] == 2
    with pytest.raises(CommandError, match="other settings"):  # but a run that adds the faces is another recipe
        _train(*common, "--epochs", "3", "--other-faces")
