"""GET /api/v1/spotify/random-playlist: ten random catalog tracks, one per artist."""

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.music.factories import TrackFactory

URL = "/api/v1/spotify/random-playlist"
pytestmark = pytest.mark.django_db


def test_ten_random_tracks_in_the_seed_shape(client_for, user, settings):
    settings.SITE_URL = "https://vexora.example"  # not used: URLs of this site are built per request
    settings.ALLOWED_HOSTS = ["music.example"]
    TrackFactory.create_batch(40)

    response = client_for(user).get(URL, HTTP_HOST="music.example:8443")

    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["message"] == "random playlist retrieved successfully!"
    music = body["data"]["music"]
    assert len(music) == 10
    first = music[0]
    assert set(first) == {"id", "name", "playlist_name", "artist", "album", "year", "duration_ms", "genres",
                          "path", "embed_url", "thumbnail", "reason"}
    assert first["playlist_name"] == first["name"]
    assert first["path"] == f"https://open.spotify.com/track/{first['id']}"
    assert first["embed_url"] == f"https://open.spotify.com/embed/track/{first['id']}"
    # No cover known: the track's generated artwork, on the host the request came to.
    assert first["thumbnail"].startswith(f"http://music.example:8443/covers/{first['id']}.svg?v=")
    assert len({track["artist"] for track in music}) == 10


def test_the_generated_artwork_is_served(client_for, user, client):
    TrackFactory()
    thumbnail = client_for(user).get(URL).json()["data"]["music"][0]["thumbnail"]

    response = client.get(thumbnail)  # no session or token needed: an <img> or an app loads it

    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_each_call_draws_again(client_for, user):
    TrackFactory.create_batch(60)
    client = client_for(user)
    draws = {tuple(t["id"] for t in client.get(URL).json()["data"]["music"]) for _ in range(3)}
    assert len(draws) > 1


def test_a_stored_cover_is_used(client_for, user):
    TrackFactory(thumbnail="https://i.scdn.co/image/stored")
    music = client_for(user).get(URL).json()["data"]["music"]
    assert [track["thumbnail"] for track in music] == ["https://i.scdn.co/image/stored"]


def test_an_empty_catalog_gives_an_empty_list(client_for, user):
    response = client_for(user).get(URL)
    assert response.status_code == 200 and response.json()["data"] == {"music": []}


def test_a_token_is_required(api_client):
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["success"] is False


def test_a_bearer_token_from_login_is_accepted(api_client, user):
    TrackFactory()
    login = api_client.post("/api/v1/login", {"username": user.username, "password": DEFAULT_PASSWORD},
                            format="json")
    assert login.status_code == 200, login.json()
    token = login.json()["data"]["access_token"]

    response = api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200 and len(response.json()["data"]["music"]) == 1
    assert api_client.get(URL, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
