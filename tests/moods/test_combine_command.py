"""combine_mood_weights: several weights files become one ensemble whose probabilities are the mean
of its members' (checked against the members run one by one)."""

from __future__ import annotations

import io
import json

import pytest
import torch
from django.core.management import call_command
from django.core.management.base import CommandError

from moods.ml.network import MoodNet
from moods.ml.weights import weights_load, weights_meta, weights_save


def _member(tmp_path, name: str, seed: int):
    torch.manual_seed(seed)
    net = MoodNet(width=4, blocks=(1, 1)).eval()
    path = tmp_path / f"{name}.pt"
    weights_save(path=path, members=[net], flip=False, meta={"epoch": seed})
    return path, net


def _combine(*args) -> dict:
    out = io.StringIO()
    call_command("combine_mood_weights", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_the_ensemble_averages_its_members_probabilities(tmp_path):
    (a, net_a), (b, net_b) = _member(tmp_path, "a", 1), _member(tmp_path, "b", 2)
    out = tmp_path / "both.pt"

    result = _combine(str(a), str(b), "--out", str(out), "--no-flip")

    assert result["members"] == 2 and result["flip"] is False
    faces = torch.rand(6, 1, 48, 48)
    with torch.inference_mode():
        expected = (net_a(faces).softmax(1) + net_b(faces).softmax(1)) / 2
        got = weights_load(path=out)(faces)
    assert torch.allclose(got, expected, atol=1e-6)
    assert [source["path"] for source in weights_meta(path=out)["sources"]] == ["a.pt", "b.pt"]
    assert [source["epoch"] for source in weights_meta(path=out)["sources"]] == [1, 2]


def test_flip_averaging_is_on_unless_turned_off(tmp_path):
    (a, _), (b, _) = _member(tmp_path, "a", 1), _member(tmp_path, "b", 2)

    result = _combine(str(a), str(b), "--out", str(tmp_path / "both.pt"))

    assert result["flip"] is True
    assert weights_load(path=tmp_path / "both.pt").flip is True


def test_a_file_that_is_not_weights_is_refused_and_nothing_is_written(tmp_path):
    a, _ = _member(tmp_path, "a", 1)
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a torch file")
    out = tmp_path / "both.pt"

    with pytest.raises(CommandError, match="not a loadable weights file"):
        _combine(str(a), str(junk), "--out", str(out))
    assert not out.exists()


@pytest.mark.parametrize("out_name, message", [("both.txt", "must end in .pt"), ("a.pt", "must not be one of the inputs")])
def test_a_bad_out_path_is_refused(tmp_path, out_name, message):
    a, _ = _member(tmp_path, "a", 1)

    with pytest.raises(CommandError, match=message):
        _combine(str(a), "--out", str(tmp_path / out_name))


def test_a_missing_input_is_named(tmp_path):
    with pytest.raises(CommandError, match="no weights file at"):
        _combine(str(tmp_path / "missing.pt"), "--out", str(tmp_path / "x.pt"))
