"""The shipped weights file: plain tensors (torch.load weights_only=True) that fit the network."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from django.conf import settings

from moods.ml.network import MOODS, MoodEnsemble, MoodNet
from moods.ml.weights import FORMAT, WeightsError, weights_load, weights_save


def test_the_shipped_file_loads_with_weights_only_and_fits_the_network():
    blob = torch.load(settings.MOOD_WEIGHTS_PATH, map_location="cpu", weights_only=True)

    assert blob["format"] == FORMAT
    assert tuple(blob["moods"]) == MOODS
    assert blob["members"]
    for member in blob["members"]:
        cfg = member["config"]
        net = MoodNet(width=cfg["width"], blocks=tuple(cfg["blocks"]), dropout=cfg["dropout"],
                      num_classes=cfg["num_classes"])
        net.load_state_dict(member["state_dict"], strict=True)  # raises on any missing/extra/misshaped tensor


def test_weights_load_gives_an_ensemble_in_eval_mode_returning_probabilities():
    ensemble = weights_load(path=settings.MOOD_WEIGHTS_PATH)

    assert isinstance(ensemble, MoodEnsemble)
    assert not ensemble.training
    with torch.inference_mode():
        probs = ensemble(torch.rand(5, 1, 48, 48))
    assert probs.shape == (5, len(MOODS))
    assert torch.allclose(probs.sum(dim=1), torch.ones(5), atol=1e-5)


def test_saved_metadata_is_plain_python_even_when_given_numpy_values(tmp_path):
    path = tmp_path / "w.pt"
    weights_save(path=path, members=[MoodNet(width=4)],
                 meta={"val": {"accuracy": np.float64(0.5), "counts": np.array([1, 2])}, "epoch": np.int64(3)})

    blob = torch.load(path, map_location="cpu", weights_only=True)  # no numpy globals needed

    assert blob["meta"] == {"val": {"accuracy": 0.5, "counts": [1, 2]}, "epoch": 3}
    assert type(blob["meta"]["val"]["accuracy"]) is float


def test_numpy_metadata_is_saved_as_plain_python_so_weights_only_loads_it(tmp_path):
    path = tmp_path / "w.pt"
    weights_save(path=path, members=[MoodNet(width=4)], meta={"val": {"recall": np.float64(0.25),
                                                                      "matrix": np.eye(2, dtype=np.int64)}})

    blob = torch.load(path, map_location="cpu", weights_only=True)  # plain, no extra globals allowed

    assert blob["meta"]["val"] == {"recall": 0.25, "matrix": [[1, 0], [0, 1]]}
    assert type(blob["meta"]["val"]["recall"]) is float
    assert isinstance(weights_load(path=path), MoodEnsemble)


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "no weights file"),
        (b"garbage", "not a loadable weights file"),
        ({"something": "else"}, "not a Vexora mood weights file"),
        ({"format": FORMAT, "moods": ["happy", "sad"], "members": []}, "trained for moods"),
        ({"format": FORMAT, "moods": list(MOODS), "flip": True,
          "members": [{"config": MoodNet(width=4).config, "state_dict": MoodNet(width=8).state_dict()}]},
         "does not fit the network"),
    ],
    ids=["missing", "garbage", "foreign", "other-moods", "misfit"],
)
def test_a_bad_file_gives_a_readable_weights_error(tmp_path, content, reason):
    path = tmp_path / "w.pt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        torch.save(content, path)

    with pytest.raises(WeightsError, match=reason):
        weights_load(path=path)


class Payload:
    """Stands for any class a pickle could name (and run code through): never unpickled."""


def test_a_file_with_arbitrary_objects_is_refused(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"format": FORMAT, "moods": list(MOODS), "payload": Payload()}, path)
    with pytest.raises(WeightsError, match="not a loadable weights file"):
        weights_load(path=path)
