"""evaluate_mood_model: its numbers are checked against a confusion matrix counted by hand from
classify_faces() predictions made picture by picture."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from moods.ml.detector import MoodDetector
from moods.ml.network import MOODS
from tests.moods.conftest import make_face_folder


def _evaluate(*args) -> str:
    out = io.StringIO()
    call_command("evaluate_mood_model", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _predictions(folder: Path, weights: Path, *, flip: bool = True, bf16=None) -> tuple[list[int], list[int]]:
    """True and predicted mood indexes, every picture classified on its own."""
    detector = MoodDetector(weights_path=weights, face_detector=False, bf16=bf16)
    detector.classifier.model.flip = flip
    truth, predicted = [], []
    for class_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for file in sorted(class_dir.iterdir()):
            with Image.open(file) as img:
                predicted.append(MOODS.index(detector.classify_faces([img])[0].mood))
            truth.append(MOODS.index(class_dir.name))
    return truth, predicted


def _expected(folder: Path, weights: Path, *, flip: bool = True, bf16=None) -> dict:
    """Count the confusion matrix of picture-by-picture predictions, work the metrics out by hand."""
    matrix = [[0] * len(MOODS) for _ in MOODS]
    for true, predicted in zip(*_predictions(folder, weights, flip=flip, bf16=bf16)):
        matrix[true][predicted] += 1
    total = sum(map(sum, matrix))
    per_class = {}
    for i, mood in enumerate(MOODS):
        support = sum(matrix[i])
        if not support:
            continue
        predicted_as = sum(row[i] for row in matrix)
        recall = matrix[i][i] / support
        precision = matrix[i][i] / predicted_as if predicted_as else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[mood] = {"recall": recall, "precision": precision, "f1": f1, "support": support}
    return {
        "confusion_matrix": matrix,
        "count": total,
        "accuracy": sum(matrix[i][i] for i in range(len(MOODS))) / total,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(per_class),
        "per_class": per_class,
    }


@pytest.fixture(scope="module")
def val_folder(tmp_path_factory):
    return make_face_folder(tmp_path_factory.mktemp("eval") / "val", {"angry": 9, "happy": 12, "neutral": 7, "sad": 10},
                            seed=11)


def test_json_numbers_match_the_hand_counted_confusion_matrix(val_folder, tiny_weights):
    expected = _expected(val_folder, tiny_weights)
    # The test is only worth something if the model makes some right and some wrong calls.
    diagonal = sum(expected["confusion_matrix"][i][i] for i in range(len(MOODS)))
    assert 0 < diagonal < expected["count"]

    got = json.loads(_evaluate("--data", str(val_folder), "--weights", str(tiny_weights), "--json"))

    assert got["confusion_matrix"] == expected["confusion_matrix"]
    assert got["count"] == expected["count"] == 38
    assert got["accuracy"] == pytest.approx(expected["accuracy"])
    assert got["macro_f1"] == pytest.approx(expected["macro_f1"])
    assert set(got["per_class"]) == set(expected["per_class"])
    for mood, numbers in expected["per_class"].items():
        assert got["per_class"][mood] == pytest.approx(numbers)
    assert got["weights"] == str(tiny_weights)


def test_the_ablation_options_switch_off_flip_averaging_and_bfloat16(val_folder, tiny_weights):
    expected = _expected(val_folder, tiny_weights, flip=False, bf16=False)

    got = json.loads(_evaluate("--data", str(val_folder), "--weights", str(tiny_weights), "--json",
                               "--no-flip", "--precision", "fp32"))

    assert got["flip_averaging"] is False and got["inference"] == "float32"
    assert got["confusion_matrix"] == expected["confusion_matrix"]
    assert got["macro_f1"] == pytest.approx(expected["macro_f1"])


def test_a_file_combined_without_flip_is_read_as_the_app_serves_it(val_folder, tiny_weights, tmp_path):
    no_flip_file = tmp_path / "no-flip.pt"
    call_command("combine_mood_weights", str(tiny_weights), "--no-flip", "--out", str(no_flip_file),
                 stdout=io.StringIO(), stderr=io.StringIO())
    expected = _expected(val_folder, tiny_weights, flip=False)

    got = json.loads(_evaluate("--data", str(val_folder), "--weights", str(no_flip_file), "--json"))
    with_flip = json.loads(_evaluate("--data", str(val_folder), "--weights", str(tiny_weights), "--json",
                                     "--compare", str(no_flip_file)))

    assert got["flip_averaging"] is False
    assert got["confusion_matrix"] == expected["confusion_matrix"]
    # --compare reads its file with the first file's setting (here: with flip averaging)
    assert with_flip["flip_averaging"] is True
    assert with_flip["comparison"]["only_this_right"] == with_flip["comparison"]["only_other_right"] == 0


def test_the_readable_report_shows_the_same_numbers(val_folder, tiny_weights):
    expected = _expected(val_folder, tiny_weights)

    text = _evaluate("--data", str(val_folder), "--weights", str(tiny_weights))

    assert "38 faces" in text
    assert f"accuracy {100 * expected['accuracy']:.1f}%" in text
    assert f"macro-F1 {expected['macro_f1']:.3f}" in text
    lines = text.splitlines()
    header = lines.index("confusion matrix (rows: true mood, columns: predicted)")
    assert lines[header + 1].split() == list(MOODS)
    for mood, row in zip(MOODS, expected["confusion_matrix"]):
        matrix_line = next(line for line in lines[header + 2:] if line.split()[0] == mood)
        assert [int(n) for n in matrix_line.split()[1:]] == row
        table_line = next(line for line in lines[:header] if line.split()[:1] == [mood])
        assert table_line.split()[1:] == [
            str(expected["per_class"][mood]["support"]),
            f"{expected['per_class'][mood]['recall']:.3f}",
            f"{expected['per_class'][mood]['precision']:.3f}",
            f"{expected['per_class'][mood]['f1']:.3f}",
        ]


def test_a_folder_with_only_some_moods_works(tmp_path, tiny_weights):
    folder = make_face_folder(tmp_path / "subset", {"happy": 6, "sad": 5}, seed=5)
    expected = _expected(folder, tiny_weights)

    got = json.loads(_evaluate("--data", str(folder), "--weights", str(tiny_weights), "--json"))

    assert set(got["per_class"]) == {"happy", "sad"}
    assert got["confusion_matrix"] == expected["confusion_matrix"]
    assert got["macro_f1"] == pytest.approx(expected["macro_f1"])
    text = _evaluate("--data", str(folder), "--weights", str(tiny_weights))
    assert "11 faces" in text


def test_ferplus_labels_come_from_the_csv(tmp_path, tiny_weights):
    root = tmp_path / "fer"
    make_face_folder(root / "val", {"happy": 4, "sad": 4}, seed=9)
    rows = ["path,fer2013_label,ferplus_label"]
    relabel = {"happy": ["happy", "happy", "neutral", "other"], "sad": ["sad", "neutral", "dropped", "sad"]}
    for mood, labels in relabel.items():
        rows += [f"val/{mood}/{i:03d}.png,{mood},{label}" for i, label in enumerate(labels)]
    (root / "ferplus_labels.csv").write_text("\n".join(rows) + "\n")

    got = json.loads(_evaluate("--data", str(root / "val"), "--labels", "ferplus", "--weights", str(tiny_weights),
                               "--json"))

    # other/dropped are left out: 3 happy-folder faces (2 happy, 1 neutral) + 3 sad-folder (2 sad, 1 neutral)
    assert got["count"] == 6
    assert {m: c["support"] for m, c in got["per_class"].items()} == {"happy": 2, "neutral": 2, "sad": 2}


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda root: root / "nowhere", "does not exist"),
        (lambda root: (root / "f.txt", (root / "f.txt").write_text("x"))[0], "is not a folder"),
        (lambda root: (root / "empty", (root / "empty").mkdir())[0], "no class sub-folders"),
        (lambda root: (root / "odd", (root / "odd" / "bored").mkdir(parents=True))[0], "not moods"),
        (lambda root: (root / "blank", (root / "blank" / "sad").mkdir(parents=True))[0], "no labelled face images"),
    ],
    ids=["missing", "file", "empty", "not-moods", "no-images"],
)
def test_bad_data_gives_a_clear_command_error(tmp_path, tiny_weights, make, message):
    with pytest.raises(CommandError, match=message):
        _evaluate("--data", str(make(tmp_path)), "--weights", str(tiny_weights))


@pytest.mark.parametrize("content, message", [(None, "no weights file"), (b"junk", "not a loadable weights file")])
def test_bad_weights_give_a_clear_command_error(tmp_path, val_folder, content, message):
    weights = tmp_path / "w.pt"
    if content is not None:
        weights.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _evaluate("--data", str(val_folder), "--weights", str(weights))


def test_compare_counts_the_faces_only_one_model_gets_right(val_folder, tiny_weights, settings):
    other_weights = Path(settings.MOOD_WEIGHTS_PATH)  # the shipped net: a different model on these pictures
    truth, mine = _predictions(val_folder, tiny_weights)
    _, theirs = _predictions(val_folder, other_weights)
    only_mine = sum(m == t != o for t, m, o in zip(truth, mine, theirs))
    only_theirs = sum(o == t != m for t, m, o in zip(truth, mine, theirs))
    assert only_mine + only_theirs > 0  # otherwise the test could not tell the two models apart

    got = json.loads(_evaluate("--data", str(val_folder), "--weights", str(tiny_weights),
                               "--compare", str(other_weights), "--json"))
    comparison = got["comparison"]
    assert (comparison["only_this_right"], comparison["only_other_right"]) == (only_mine, only_theirs)
    assert comparison["weights"] == str(other_weights)
    assert comparison["accuracy"] == pytest.approx(sum(o == t for t, o in zip(truth, theirs)) / len(truth))
    assert got["accuracy"] - comparison["accuracy"] == pytest.approx((only_mine - only_theirs) / len(truth))

    text = _evaluate("--data", str(val_folder), "--weights", str(tiny_weights), "--compare", str(other_weights))
    assert f"only these weights right on {only_mine} face(s), only the other on {only_theirs}" in text


def test_compare_with_a_missing_file_is_a_clear_error(val_folder, tiny_weights, tmp_path):
    with pytest.raises(CommandError, match="no weights file"):
        _evaluate("--data", str(val_folder), "--weights", str(tiny_weights), "--compare", str(tmp_path / "nope.pt"))


def test_the_calibration_error_is_reported_with_the_temperature_served(val_folder, tiny_weights, tmp_path):
    import shutil

    from moods.ml.calibration import calibration_save, expected_calibration_error, temperature_apply

    weights = shutil.copy(tiny_weights, tmp_path / "tiny.pt")
    detector = MoodDetector(weights_path=weights, face_detector=False, temperature=1.0)
    probs, truth = [], []
    for class_dir in sorted(p for p in val_folder.iterdir() if p.is_dir()):
        for file in sorted(class_dir.iterdir()):
            with Image.open(file) as img:
                probs.append([detector.classify_faces([img])[0].probabilities[m] for m in MOODS])
            truth.append(MOODS.index(class_dir.name))

    plain = json.loads(_evaluate("--data", str(val_folder), "--weights", str(weights), "--json"))
    calibration_save(weights_path=weights, temperature=2.5)
    calibrated = json.loads(_evaluate("--data", str(val_folder), "--weights", str(weights), "--json"))
    ablated = json.loads(_evaluate("--data", str(val_folder), "--weights", str(weights), "--json", "--no-calibration"))

    assert (plain["temperature"], plain["ece_bins"]) == (1.0, 15)
    assert plain["ece"] == pytest.approx(expected_calibration_error(probs, truth), abs=1e-3)
    assert calibrated["temperature"] == 2.5
    assert calibrated["ece"] == pytest.approx(expected_calibration_error(temperature_apply(probs, 2.5), truth), abs=1e-3)
    assert calibrated["ece"] != pytest.approx(plain["ece"], abs=1e-3)
    assert calibrated["confusion_matrix"] == plain["confusion_matrix"]  # the same moods, other confidences
    assert (ablated["temperature"], ablated["ece"]) == (1.0, plain["ece"])
    assert "ECE (15 bins)" in _evaluate("--data", str(val_folder), "--weights", str(weights))
