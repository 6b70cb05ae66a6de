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


WIDE_HEADER = ["", "track_id", "artists", "album_name", "track_name", "popularity", "duration_ms", "explicit",
               "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness",
               "liveness", "valence", "tempo", "time_signature", "track_genre"]


def _source_row(track_id, name, genre, popularity="50", valence="0.5", artist="Artist"):
    return [track_id, name, artist, popularity, "A" * 22, "Album", "2020-01-01", "Some playlist", "P" * 22, genre,
            f"{genre} sub", "0.7", "0.6", "5", "-6.1", "1", "0.05", "0.2", "0.0", "0.1", valence, "118.0", "210000"]


def _wide_row(track_id, name, genre, artists="Artist", popularity="40", explicit="False"):
    return ["0", track_id, artists, "Album", name, popularity, "200000", explicit, "0.5", "0.4", "2", "-9.0", "0",
            "0.04", "0.8", "0.1", "0.1", "0.3", "90.0", "4", genre]


def _built(tmp_path, songs, wide=()):
    sources = ["--source", str(write_catalog(tmp_path / "spotify_songs.csv", songs, header=HEADER))]
    if wide:
        sources += ["--source", str(write_catalog(tmp_path / "dataset.csv", wide, header=WIDE_HEADER))]
    output = tmp_path / "catalog.csv.gz"
    out = StringIO()
    call_command("build_catalog", *sources, "--output", str(output), stdout=out)
    with gzip.open(output, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return out.getvalue(), output, {row["id"]: row for row in rows}


@pytest.mark.django_db
def test_build_keeps_one_row_per_track_with_every_genre_and_the_products_columns(tmp_path):
    output_text, output, rows = _built(tmp_path, [
        _source_row("BuildTrack000000000001", "First", "pop"),
        _source_row("BuildTrack000000000002", "Second", "rock", artist="Other"),
        _source_row("BuildTrack000000000001", "First", "r&b"),  # same track in another playlist
        _source_row("BuildTrack000000000003", "NA", "rap"),  # the dataset's missing name
    ], wide=[
        _wide_row("BuildTrack000000000001", "First", "soul", explicit="True"),  # also in the 114-genre set
        _wide_row("BuildTrack000000000004", "Quiet One", "piano", artists="Pianist;Cellist"),
    ])

    assert "wrote 3 tracks" in output_text and "2 repeated rows of a track merged" in output_text
    with gzip.open(output, "rt", encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS
    first = rows["BuildTrack000000000001"]
    assert first["genres"] == "pop,r-n-b,soul"  # every genre, spotify_songs' names mapped to the 114-genre set's
    assert (first["explicit"], first["release_date"]) == ("true", "2020-01-01")  # each source fills its part
    assert rows["BuildTrack000000000004"]["artist"] == "Pianist, Cellist"
    call_command("load_catalog", "--file", str(output), "--no-progress", stdout=StringIO())
    track = Track.objects.get(pk="BuildTrack000000000001")
    assert (track.tempo, track.genre, track.genre_list, track.explicit) == (118.0, "pop", ["pop", "r-n-b", "soul"], True)


@pytest.mark.django_db
def test_one_song_under_several_ids_is_folded_into_its_most_popular_id(tmp_path):
    output_text, _, rows = _built(tmp_path, [
        _source_row("QueenSong0000000000001", "Bohemian Rhapsody - Remastered 2011", "rock", "70", artist="Queen"),
        _source_row("QueenSong0000000000002", "Bohemian Rhapsody", "rock", "80", artist="Queen"),
        _source_row("QueenSong0000000000003", "Bohemian Rhapsody - Live Aid", "rock", "90", artist="Queen"),
        _source_row("QueenSong0000000000005", "Don't Stop Me Now - 2011 Mix", "rock", "60", artist="Queen"),
    ], wide=[
        _wide_row("QueenSong0000000000004", "Bohemian Rhapsody (2011 Remaster)", "british",
                  artists="The Queen;Someone", popularity="10"),
        _wide_row("QueenSong0000000000006", "Don't Stop Me Now", "rock", artists="Queen", popularity="60"),
    ])

    shown = "QueenSong0000000000002"
    assert rows[shown]["duplicate_of"] == ""
    assert rows["QueenSong0000000000001"]["duplicate_of"] == shown
    assert rows["QueenSong0000000000004"]["duplicate_of"] == shown  # "The Queen" credits are Queen's
    assert rows["QueenSong0000000000003"]["duplicate_of"] == ""  # a live recording is another recording
    assert "british" in rows[shown]["genres"].split(",")  # the shown id carries every version's genres
    # a tie in popularity: the id with a release date (spotify_songs) is shown
    assert rows["QueenSong0000000000006"]["duplicate_of"] == "QueenSong0000000000005"
    assert "3 ids folded into another id of the same song" in output_text


@pytest.mark.django_db
def test_build_output_is_reproducible(tmp_path):
    source = write_catalog(tmp_path / "spotify_songs.csv", [_source_row("BuildTrack000000000001", "One", "pop")],
                           header=HEADER)
    call_command("build_catalog", "--source", str(source), "--output", str(tmp_path / "a.csv.gz"), stdout=StringIO())
    call_command("build_catalog", "--source", str(source), "--output", str(tmp_path / "b.csv.gz"), stdout=StringIO())
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()
