"""The recommender's in-memory index follows the catalog: loads, admin edits and deletions."""

import pytest

from music.recommender import recommend_tracks, tracks_random
from music.services import catalog_load
from tests.music.conftest import catalog_row, write_catalog
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_an_empty_catalog_recommends_nothing():
    assert recommend_tracks(mood="happy") == []
    assert tracks_random() == []


def test_tracks_loaded_later_are_recommended(tmp_path):
    path = write_catalog(tmp_path / "c.csv", [catalog_row("FirstSad00000000000001", artist="A", valence=0.1,
                                                          energy=0.2)])
    catalog_load(path=path)
    assert [t.id for t in recommend_tracks(mood="sad")] == ["FirstSad00000000000001"]

    write_catalog(path, [catalog_row("FirstSad00000000000001", artist="A", valence=0.1, energy=0.2),
                         catalog_row("LaterSad00000000000002", artist="B", valence=0.12, energy=0.22)])
    catalog_load(path=path)

    assert {t.id for t in recommend_tracks(mood="sad")} == {"FirstSad00000000000001", "LaterSad00000000000002"}


def test_edits_and_deletions_of_catalog_tracks_reach_the_index():
    kept = TrackFactory(valence=0.15, energy=0.25)
    gone = TrackFactory(valence=0.16, energy=0.24)
    spotify_only = TrackFactory(in_catalog=False, valence=None, energy=None)
    assert {t.id for t in recommend_tracks(mood="sad")} == {kept.id, gone.id}

    gone.delete()
    kept.valence, kept.energy = 0.9, 0.9
    kept.save()

    assert [t.id for t in recommend_tracks(mood="sad")] == [kept.id]  # the only one left, now far away
    assert [t.id for t in recommend_tracks(mood="happy")] == [kept.id]
    assert spotify_only.id not in {t.id for t in tracks_random()}


def test_one_track_per_artist_even_when_a_small_catalog_cannot_fill_the_list():
    for i in range(5):
        TrackFactory(artist="Same Artist" if i < 4 else "Other", valence=0.8, energy=0.8)
    TrackFactory(artist="same artist", valence=0.2, energy=0.2)  # artists match case-insensitively
    tracks = recommend_tracks(mood="happy", limit=10)
    # which of the artist's tracks is drawn varies; the artist appears once, whatever the case
    assert sorted(t.artist.casefold() for t in tracks) == ["other", "same artist"]
