"""load_catalog: an idempotent upsert of the catalog file; bad rows are skipped and counted."""

import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from music.catalog import CATALOG_PATH
from music.models import Track
from music.services import catalog_load
from tests.music.conftest import catalog_row, write_catalog

GOOD = ["GoodTrack000000000001A", "GoodTrack000000000002B", "GoodTrack000000000003C"]


def _load(path):
    out = StringIO()
    call_command("load_catalog", "--file", str(path), "--no-progress", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_valid_rows_are_stored_and_bad_rows_skipped_and_counted(tmp_path):
    path = write_catalog(tmp_path / "catalog.csv", [
        catalog_row(GOOD[0], "Shape of You", "Ed Sheeran", valence="0.931", energy="0.652", popularity="90"),
        catalog_row(GOOD[1], "Hurt", "Johnny Cash", valence="0.0", energy="1.0"),  # edges are valid
        catalog_row(GOOD[2], "Optional Extras", "Someone", danceability="", tempo="", duration_ms=""),
        catalog_row("MissingName0000000000X", name=""),
        catalog_row("MissingArtist000000000", artist="NA"),
        catalog_row(""),
        catalog_row("too-short-id"),
        catalog_row("NonNumeric000000000000", valence="high"),
        catalog_row("OutOfRange000000000000", energy="1.5"),
        catalog_row("NegativeValence0000000", valence="-0.1"),
        catalog_row("BadPopularity000000000", popularity="101"),
        catalog_row("InfiniteTempo000000000", tempo="inf"),
        catalog_row(GOOD[0], "Shape of You (duplicate row)", "Ed Sheeran"),
    ])

    output = _load(path)

    assert "inserted 3, updated 0, unchanged 0, skipped 9, duplicates 1" in output
    assert "malformed id: 1" in output and "missing name: 1" in output and "missing artist: 1" in output
    assert "non-numeric valence: 1" in output and "energy out of range: 1" in output
    assert set(Track.objects.values_list("id", flat=True)) == set(GOOD)
    shape = Track.objects.get(pk=GOOD[0])
    assert (shape.name, shape.artist, shape.valence, shape.energy, shape.popularity) == (
        "Shape of You", "Ed Sheeran", 0.931, 0.652, 90)
    assert (shape.album, shape.album_id, shape.release_date, shape.release_year) == (
        "An Album", "B" * 22, "2019-06-14", 2019)
    assert shape.in_catalog and shape.thumbnail == ""
    extras = Track.objects.get(pk=GOOD[2])
    assert extras.danceability is None and extras.tempo is None and extras.duration_ms is None


@pytest.mark.django_db
def test_second_run_changes_nothing_then_updates_only_changed_rows(tmp_path):
    rows = [catalog_row(GOOD[0], valence="0.2"), catalog_row(GOOD[1]), catalog_row(GOOD[2])]
    path = write_catalog(tmp_path / "catalog.csv.gz", rows, compress=True)
    assert "inserted 3, updated 0, unchanged 0" in _load(path)

    assert "inserted 0, updated 0, unchanged 3, skipped 0" in _load(path)

    rows[0]["valence"] = "0.9"
    rows[1]["name"] = "Renamed"
    rows.append(catalog_row("GoodTrack000000000004D"))
    write_catalog(path, rows, compress=True)
    assert "inserted 1, updated 2, unchanged 1" in _load(path)
    assert Track.objects.get(pk=GOOD[0]).valence == 0.9
    assert Track.objects.get(pk=GOOD[1]).name == "Renamed"
    assert Track.objects.count() == 4


@pytest.mark.django_db
def test_reload_keeps_covers_and_adopts_tracks_added_from_spotify(tmp_path):
    Track.objects.create(id=GOOD[0], name="From Spotify", artist="Someone", in_catalog=False,
                         thumbnail="https://i.scdn.co/image/abc")
    path = write_catalog(tmp_path / "catalog.csv", [catalog_row(GOOD[0], "Catalog Name", valence="0.7")])

    result = catalog_load(path=path)

    assert (result.inserted, result.updated) == (0, 1)
    track = Track.objects.get(pk=GOOD[0])
    assert track.in_catalog and track.valence == 0.7 and track.name == "Catalog Name"
    assert track.thumbnail == "https://i.scdn.co/image/abc"


@pytest.mark.django_db
def test_the_shared_datasets_own_columns_are_accepted(tmp_path):
    header = ["track_id", "track_name", "track_artist", "track_popularity", "track_album_id", "track_album_name",
              "track_album_release_date", "playlist_name", "playlist_genre", "playlist_subgenre", "valence", "energy"]
    path = write_catalog(tmp_path / "spotify_songs.csv", [
        [GOOD[0], "Memories", "Maroon 5", "67", "C" * 22, "Memories", "2019-12", "Pop Remix", "pop", "dance pop",
         "0.693", "0.815"],
        [GOOD[1], "NA", "NA", "0", "D" * 22, "NA", "2012", "HIP&HOP", "rap", "hip hop", "0.6", "0.8"],
    ], header=header)

    result = catalog_load(path=path)

    assert (result.inserted, result.skipped) == (1, 1)
    track = Track.objects.get(pk=GOOD[0])
    assert (track.artist, track.genre, track.release_date, track.release_year) == ("Maroon 5", "pop", "2019-12", 2019)


@pytest.mark.django_db
def test_an_unusable_file_is_a_clear_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        _load(tmp_path / "missing.csv.gz")
    lacking = tmp_path / "lacking.csv"
    lacking.write_text("id,name\nGoodTrack000000000001A,Song\n")
    with pytest.raises(CommandError, match="lacks the column"):
        _load(lacking)
    corrupt = tmp_path / "corrupt.csv.gz"
    corrupt.write_bytes(gzip.compress(b"id,name,artist,valence,energy\n" + b"x" * 100)[:-20])
    with pytest.raises(CommandError, match="corrupt"):
        _load(corrupt)
    assert Track.objects.count() == 0


@pytest.mark.slow  # loads the whole shipped catalog, twice
@pytest.mark.django_db
def test_the_shipped_catalog_loads_about_116k_tracks_with_moods_and_reloads_without_writes():
    assert CATALOG_PATH.exists()
    output = _load(CATALOG_PATH)
    count = Track.objects.filter(in_catalog=True).count()
    assert 116_000 <= count <= 116_200, output
    assert f"inserted {count}, updated 0, unchanged 0, skipped 0" in output
    assert Track.objects.filter(valence__isnull=True).count() == 0
    assert Track.objects.filter(mood_happy__isnull=True).count() == 0
    shown = Track.objects.filter(duplicate_of="").count()
    assert 100_000 <= shown <= 104_000  # other ids of the same song are kept but not shown
    assert Track.objects.filter(explicit=True).count() > 5_000  # the 114-genre set's flag
    assert Track.objects.filter(genres__contains="classical").count() > 500

    assert f"inserted 0, updated 0, unchanged {count}" in _load(CATALOG_PATH)


@pytest.mark.django_db
def test_each_track_gets_mood_probabilities_from_the_model_summing_to_one(tmp_path):
    path = write_catalog(tmp_path / "catalog.csv", [
        catalog_row(GOOD[0], "Bright", valence="0.95", energy="0.85", danceability="0.85", acousticness="0.05"),
        catalog_row(GOOD[1], "Quiet", valence="0.15", energy="0.1", acousticness="0.95", instrumentalness="0.9",
                    loudness="-25"),
    ])
    catalog_load(path=path)
    bright, quiet = Track.objects.get(pk=GOOD[0]), Track.objects.get(pk=GOOD[1])
    for track in (bright, quiet):
        assert sum(track.mood_probabilities.values()) == pytest.approx(1, abs=1e-3)
    assert bright.mood_happy > quiet.mood_happy
    assert max(bright.mood_probabilities, key=bright.mood_probabilities.get) == "happy"
    assert max(quiet.mood_probabilities, key=quiet.mood_probabilities.get) in ("neutral", "sad")


@pytest.mark.django_db
def test_a_duplicate_pointing_outside_the_file_is_shown_itself(tmp_path):
    path = write_catalog(tmp_path / "catalog.csv", [
        catalog_row(GOOD[0], "Song", duplicate_of=GOOD[1]),
        catalog_row(GOOD[2], "Song - 2011 Remaster", duplicate_of=GOOD[0]),
    ])
    catalog_load(path=path)
    assert Track.objects.get(pk=GOOD[0]).duplicate_of == ""
    assert Track.objects.get(pk=GOOD[2]).duplicate_of == GOOD[0]
