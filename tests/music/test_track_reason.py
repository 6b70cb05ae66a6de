"""Why this track: a short phrase from the features, in the API's track object and on the pages,
led by the listener's taste when one is given."""

from dataclasses import dataclass, field

import pytest

from music.reasons import PLAIN, track_reason
from tests.music.factories import TrackFactory


@dataclass
class Taste:
    liked_genres: set = field(default_factory=set)
    liked_artists: set = field(default_factory=set)


@pytest.mark.parametrize("features, reason", [
    ({"valence": 0.5, "energy": 0.15, "acousticness": 0.95}, "calm and acoustic"),
    ({"valence": 0.9, "energy": 0.6, "danceability": 0.92}, "bright and danceable"),
    ({"valence": 0.1, "energy": 0.97}, "dark and intense"),
    ({"valence": 0.08, "energy": 0.2}, "calm and melancholic"),
    ({"valence": 0.5, "energy": 0.5, "instrumentalness": 0.95, "tempo": 60}, "instrumental and slow"),
    ({"valence": 0.5, "energy": 0.5, "danceability": 0.5, "tempo": 118}, PLAIN),
    ({}, ""),
    ({"valence": None, "energy": "loud"}, ""),
])
def test_the_two_most_salient_traits_make_the_reason(features, reason):
    assert track_reason(features) == reason


def test_taste_leads_the_reason_when_given():
    track = {"valence": 0.5, "energy": 0.15, "acousticness": 0.95, "genres": "jazz,soul", "artist": "Nina Simone, X"}
    assert track_reason(track, taste=Taste(liked_genres={"Soul"})) == "one of your genres, calm and acoustic"
    assert track_reason(track, taste=Taste(liked_artists={"nina simone"})).startswith("one of your artists")
    assert track_reason(track, taste=Taste(liked_genres={"metal"})) == "calm and acoustic"


@pytest.mark.django_db
def test_the_api_track_object_and_the_playlist_page_carry_the_reason(client_for, user, client):
    from music.services import playlist_create

    quiet = TrackFactory(valence=0.5, energy=0.1, acousticness=0.9)
    spotify_only = TrackFactory(valence=None, energy=None, in_catalog=False)
    playlist = playlist_create(user=user, name="Evening", track_ids=[quiet.id, spotify_only.id])

    tracks = client_for(user).get(f"/api/v1/playlists/{playlist.uuid}").json()["data"]["tracks"]
    assert [track["reason"] for track in tracks] == ["calm and acoustic", ""]

    client.force_login(user)
    page = client.get(f"/playlists/{playlist.uuid}/").content.decode()
    assert page.count('class="track-reason"') == 1 and "Calm and acoustic" in page
