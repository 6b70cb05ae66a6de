"""Search shows a song once, even when the catalog holds it under several ids (remasters,
compilations): over the real shipped catalog and over a small one."""

import pytest

from music.normalise import song_key
from music.selectors import track_search
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_a_folded_id_is_not_listed_next_to_its_song(client_for, user):
    shown = TrackFactory(name="Bohemian Rhapsody", artist="Queen", popularity=80)
    TrackFactory(name="Bohemian Rhapsody - Remastered 2011", artist="Queen", popularity=70, duplicate_of=shown.id)
    live = TrackFactory(name="Bohemian Rhapsody - Live Aid", artist="Queen", popularity=60)

    response = client_for(user).get("/api/v1/spotify/search", {"search": "bohemian"})

    assert [track["id"] for track in response.json()["data"]["music"]] == [shown.id, live.id]


@pytest.mark.slow  # the whole shipped catalog
@pytest.mark.usefixtures("shipped_catalog")
@pytest.mark.parametrize("query", ["queen", "beatles", "bohemian rhapsody", "love"])
def test_no_song_appears_twice_in_the_shipped_catalogs_search(query):
    results = track_search(query=query)
    keys = [song_key(track.artist, track.name) for track in results]
    assert len(results) == 20 or query == "bohemian rhapsody"
    assert len(set(keys)) == len(keys), [f"{track.artist} - {track.name}" for track in results]
