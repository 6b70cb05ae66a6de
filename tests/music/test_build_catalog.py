"""build_catalog: the shared dataset -> a de-duplicated, compressed catalog that load_catalog reads."""

import csv
import gzip
from io import StringIO

import pytest
from django.core.management import call_command

from music.catalog import COLUMNS
from music.models import Track
from tests.music.conftest import write_catalog

HEADER = ["track_id", "track_name", "track_artist", "track_popularity", "track_album_id", "track_album_name",
          "track_album_release_date", "playlist_name", "playlist_id", "playlist_genre", "playlist_subgenre",
          "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness",
          "liveness", "valence", "tempo", "duration_ms"]


def _source_row(track_id, name, genre, popularity="50", valence="0.5"):
    return [track_id, name, "Artist", popularity, "A" * 22, "Album", "2020-01-01", "Some playlist", "P" * 22, genre,
            f"{genre} sub", "0.7", "0.6", "5", "-6.1", "1", "0.05", "0.2", "0.0", "0.1", valence, "118.0", "210000"]


@pytest.mark.django_db
def test_build_keeps_one_row_per_track_and_the_products_columns(tmp_path):
    source = write_catalog(tmp_path / "spotify_songs.csv", [
        _source_row("BuildTrack000000000001", "First", "pop"),
        _source_row("BuildTrack000000000002", "Second", "rock"),
        _source_row("BuildTrack000000000001", "First", "edm"),  # same track in another playlist
        _source_row("BuildTrack000000000003", "NA", "rap"),  # the dataset's missing name
    ], header=HEADER)
    output = tmp_path / "catalog.csv.gz"
    out = StringIO()

    call_command("build_catalog", "--source", str(source), "--output", str(output), stdout=out)

    assert "wrote 2 tracks" in out.getvalue() and "1 duplicate rows" in out.getvalue()
    with gzip.open(output, "rt", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert [(row[0], row[6]) for row in rows[1:]] == [("BuildTrack000000000001", "pop"),
                                                      ("BuildTrack000000000002", "rock")]
    call_command("load_catalog", "--file", str(output), "--no-progress", stdout=StringIO())
    assert Track.objects.get(pk="BuildTrack000000000001").tempo == 118.0


def test_build_output_is_reproducible(tmp_path):
    source = write_catalog(tmp_path / "spotify_songs.csv", [_source_row("BuildTrack000000000001", "One", "pop")],
                           header=HEADER)
    call_command("build_catalog", "--source", str(source), "--output", str(tmp_path / "a.csv.gz"), stdout=StringIO())
    call_command("build_catalog", "--source", str(source), "--output", str(tmp_path / "b.csv.gz"), stdout=StringIO())
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()
