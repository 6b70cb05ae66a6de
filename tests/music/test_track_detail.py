"""GET /api/v1/spotify/{id}: one track (Spotify off: the catalog only)."""

import pytest

from music.selectors import track_artwork_path
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_a_catalog_track(client_for, user):
    track = TrackFactory(name="Sewanee Mountain Catfight", artist="Old Crow Medicine Show", album="Tennessee Pusher",
                         valence=0.9, energy=0.9, acousticness=0.8, release_year=2007, duration_ms=216000,
                         genre="bluegrass", genres="bluegrass,folk")

    response = client_for(user).get(f"/api/v1/spotify/{track.id}")

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "success" and body["shouldNotify"] is False
    assert body["data"]["music"] == [{
        "id": track.id, "name": "Sewanee Mountain Catfight", "playlist_name": "Sewanee Mountain Catfight",
        "artist": "Old Crow Medicine Show", "album": "Tennessee Pusher", "year": 2007, "duration_ms": 216000,
        "genres": ["bluegrass", "folk"], "path": f"https://open.spotify.com/track/{track.id}",
        "embed_url": f"https://open.spotify.com/embed/track/{track.id}",
        "thumbnail": f"http://testserver{track_artwork_path(track=track)}",
        "reason": "bright and energetic",
    }]
    assert track_artwork_path(track=track).startswith(f"/covers/{track.id}.svg?v=")


@pytest.mark.parametrize("track_id", ["6TQghwJw3Sh8h9mTcV5BR7", "short", "6TQghwJw3Sh8h9mTcV5BR7x",
                                      "6TQghwJw3Sh8h9mTcV5B-7", "%20" * 3])
def test_unknown_or_malformed_ids_are_not_found(client_for, user, track_id):
    TrackFactory()
    response = client_for(user).get(f"/api/v1/spotify/{track_id}")
    assert response.status_code == 404
    assert response.json() == {"success": False, "shouldNotify": True, "message": "track not found", "data": None}


def test_a_token_is_required(api_client, db):
    track = TrackFactory()
    assert api_client.get(f"/api/v1/spotify/{track.id}").status_code == 401
