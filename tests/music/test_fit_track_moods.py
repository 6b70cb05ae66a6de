"""manage.py fit_track_moods: people's labels joined to the catalog -> a held-out-checked model file
that music.track_moods reads (on a small made-up dataset laid out like shared/datasets)."""

import csv
import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from music.track_moods import load_model
from tests.music.conftest import catalog_row, write_catalog

pytest.importorskip("sklearn")

# Each mood's typical (valence, energy, acousticness): separable enough for a small fit.
PROFILE = {"happy": (0.85, 0.8, 0.1), "sad": (0.15, 0.3, 0.8), "angry": (0.2, 0.95, 0.05), "relaxed": (0.6, 0.25, 0.7)}
QUADRANT = {"happy": (1.0, 1.0), "sad": (-1.0, -1.0), "angry": (-1.0, 1.0), "relaxed": (1.0, -1.0)}


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def datasets(tmp_path):
    rng = np.random.default_rng(0)
    sources = tmp_path / "datasets" / "music_moods" / "sources"
    sources.mkdir(parents=True)
    catalog, moody, deezer = [], [], []
    for mood, (valence, energy, acoustic) in PROFILE.items():
        for i in range(60):
            artist, title = f"{mood.title()} Artist {i % 30}", f"{mood} song {i}"
            jitter = rng.normal(0, 0.08, 3).clip(-0.15, 0.15)
            catalog.append(catalog_row(f"{mood[:5].title()}{i:017d}", f"{title} - Remastered 2011", artist,
                                       valence=round(valence + jitter[0], 3), energy=round(energy + jitter[1], 3),
                                       acousticness=round(acoustic + jitter[2], 3)))
            if i % 2:
                moody.append([f"ML{i}", artist, title, mood])
            else:
                deezer.append([str(i), "S", "T", *QUADRANT[mood], artist, title])
    moody.append(["ML999", "Nobody", "Unknown song", "happy"])  # not in the catalog: unmatched
    _write(sources / "MoodyLyrics4Q.csv", ["index", "artist", "title", "mood"], moody)
    header = ["dzr_sng_id", "MSD_sng_id", "MSD_track_id", "valence", "arousal", "artist_name", "track_name"]
    _write(sources / "deezer_train.csv", header, deezer)
    _write(sources / "deezer_validation.csv", header, [])
    _write(sources / "deezer_test.csv", header, [])
    _write(sources / "pmemo2019_metadata.csv", ["musicId", "fileName", "title", "artist"], [])
    _write(sources / "pmemo2019_static_annotations.csv", ["musicId", "Arousal(mean)", "Valence(mean)"], [])
    write_catalog(tmp_path / "catalog.csv", catalog)
    return tmp_path


def _fit(datasets, output):
    out = StringIO()
    call_command("fit_track_moods", "--datasets", str(datasets / "datasets"), "--catalog",
                 str(datasets / "catalog.csv"), "--output", str(output), stdout=out)
    return out.getvalue()


@pytest.mark.slow  # two real (small) fits
@pytest.mark.django_db
def test_fit_joins_the_labels_holds_out_a_split_and_writes_a_model_that_predicts(datasets, tmp_path):
    output = tmp_path / "model.json"

    printed = _fit(datasets, output)

    assert "MoodyLyrics4Q 120/121, Deezer 120/120, PMEmo 0/0" in printed
    assert "labelled catalog songs: 240 (happy 60, sad 60, angry 60, neutral 60)" in printed
    assert "held-out, shipped model" in printed and "held-out, nearest-target rule" in printed
    document = json.loads(output.read_text())
    assert document["fit"]["held_out_tracks"] + document["fit"]["train_tracks"] == 240
    assert document["fit"]["held_out"]["accuracy"] > 0.8  # the made-up moods are easy to tell apart
    model = load_model(output)
    bright, quiet = model.probabilities(model.matrix([{"valence": 0.85, "energy": 0.8, "acousticness": 0.1},
                                                      {"valence": 0.15, "energy": 0.3, "acousticness": 0.8}]))
    assert bright.argmax() == model.classes.index("happy") and quiet.argmax() == model.classes.index("sad")
    assert _fit(datasets, tmp_path / "again.json") == printed.replace("model.json", "again.json")  # reproducible
    assert (tmp_path / "again.json").read_text() == output.read_text()


@pytest.mark.django_db
def test_missing_sources_are_a_clear_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read the mood sources"):
        _fit(tmp_path, tmp_path / "model.json")
