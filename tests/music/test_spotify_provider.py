"""Spotify through the real spotipy client against a local stub: live search, covers, look-ups,
caching, and a catalog fallback for every kind of fault."""

import logging
import time

import pytest

from music.models import Track
from tests.music.factories import TrackFactory
from tests.stubs.spotify import ACCESS_TOKEN, CLIENT_SECRET

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/spotify/search"
RANDOM = "/api/v1/spotify/random-playlist"
LIVE_ID = "0PtJbtW50jcvvswNPn3QGd"
CATALOG_ID = "6TQghwJw3Sh8h9mTcV5BR7"


def _music(response):
    assert response.status_code == 200, response.json()
    return response.json()["data"]["music"]


@pytest.fixture
def api(client_for, user):
    return client_for(user)


def test_live_search_results_come_first_with_covers_then_the_catalog(api, spotify_stub):
    spotify_stub.add_track(LIVE_ID, "Serana", "For Revenge", album="Perayaan Mati Rasa",
                           cover="https://i.scdn.co/image/serana")
    spotify_stub.add_track(CATALOG_ID, "Serana (Acoustic)", "For Revenge", cover="https://i.scdn.co/image/acoustic")
    TrackFactory(id=CATALOG_ID, name="Serana (Acoustic)", artist="For Revenge")
    local_only = TrackFactory(name="Serana Live", artist="Cover Band")

    music = _music(api.get(SEARCH, {"search": "serana"}))

    assert [t["id"] for t in music] == [LIVE_ID, CATALOG_ID, local_only.id]
    assert music[0] == {
        "id": LIVE_ID, "name": "Serana", "playlist_name": "Serana", "artist": "For Revenge",
        "album": "Perayaan Mati Rasa", "year": 2020, "duration_ms": 201000, "genres": [],
        "path": f"https://open.spotify.com/track/{LIVE_ID}", "embed_url": f"https://open.spotify.com/embed/track/{LIVE_ID}",
        "thumbnail": "https://i.scdn.co/image/serana", "reason": "",  # Spotify gives no audio features
    }
    assert music[2]["thumbnail"].startswith(f"http://testserver/covers/{local_only.id}.svg?v=")
    [search] = [r for r in spotify_stub.api_requests() if r.path == "/v1/search"]
    assert search.query["q"] == "serana" and search.query["type"] == "track" and int(search.query["limit"]) <= 10
    assert search.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert len(spotify_stub.token_requests()) == 1
    assert spotify_stub.unexpected_requests() == []


def test_search_results_and_the_token_are_cached(api, spotify_stub):
    spotify_stub.add_track(LIVE_ID, "Serana", "For Revenge")
    first = _music(api.get(SEARCH, {"search": "Serana"}))
    spotify_stub.close()  # a second call must not need Spotify at all

    second = _music(api.get(SEARCH, {"search": "serana "}))

    assert second == first and [t["id"] for t in first] == [LIVE_ID]
    assert len(spotify_stub.api_requests()) == 1 and len(spotify_stub.token_requests()) == 1


def test_a_track_only_spotify_knows_is_found_but_not_stored(api, spotify_stub):
    spotify_stub.add_track(LIVE_ID, "Serana", "For Revenge", cover="https://i.scdn.co/image/serana")

    music = _music(api.get(f"/api/v1/spotify/{LIVE_ID}"))

    assert music[0]["thumbnail"] == "https://i.scdn.co/image/serana" and music[0]["artist"] == "For Revenge"
    assert not Track.objects.filter(pk=LIVE_ID).exists()
    assert [r.path for r in spotify_stub.api_requests()] == [f"/v1/tracks/{LIVE_ID}"]


def test_a_catalog_track_gets_its_cover_once_and_keeps_it(api, spotify_stub):
    TrackFactory(id=CATALOG_ID)
    spotify_stub.add_track(CATALOG_ID, "Song", "Artist", cover="https://i.scdn.co/image/cover")

    assert _music(api.get(f"/api/v1/spotify/{CATALOG_ID}"))[0]["thumbnail"] == "https://i.scdn.co/image/cover"
    assert Track.objects.get(pk=CATALOG_ID).thumbnail == "https://i.scdn.co/image/cover"
    spotify_stub.close()
    api.get("/api/v1/spotify/search", {"search": "x"})  # nothing cached for this: Spotify is down now

    assert _music(api.get(f"/api/v1/spotify/{CATALOG_ID}"))[0]["thumbnail"] == "https://i.scdn.co/image/cover"


def test_the_random_playlist_gets_covers_through_single_track_look_ups(api, spotify_stub, settings):
    # Ten look-ups, eight at once, against one stub: room for a busy machine (faults are tested below).
    settings.SPOTIFY_TIMEOUT = 5
    for track in TrackFactory.create_batch(10):
        spotify_stub.add_track(track.id, track.name, track.artist, cover=f"https://i.scdn.co/image/{track.id}")

    music = _music(api.get(RANDOM))

    assert [t["thumbnail"] for t in music] == [f"https://i.scdn.co/image/{t['id']}" for t in music]
    assert sorted(r.path for r in spotify_stub.api_requests()) == sorted(f"/v1/tracks/{t['id']}" for t in music)
    assert spotify_stub.unexpected_requests() == []


def test_an_id_spotify_does_not_know_is_not_found_and_remembered(api, spotify_stub, caplog):
    for _ in range(2):
        response = api.get(f"/api/v1/spotify/{LIVE_ID}")
        assert response.status_code == 404 and response.json()["message"] == "track not found"
    assert len(spotify_stub.api_requests()) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("music")]


@pytest.mark.parametrize("endpoint, mode", [
    ("search", "error"), ("search", "rate_limited"), ("search", "unauthorized"), ("search", "bad_json"),
    ("token", "error"), ("token", "bad_json"), ("track", "error"), ("track", "rate_limited"),
])
def test_any_fault_falls_back_to_the_catalog_and_is_logged(api, spotify_stub, caplog, endpoint, mode):
    catalog_track = TrackFactory(id=CATALOG_ID, name="Serana", artist="For Revenge")
    spotify_stub.add_track(LIVE_ID, "Serana", "Someone Else")
    spotify_stub.add_track(CATALOG_ID, "Serana", "For Revenge")
    spotify_stub.modes[endpoint] = mode
    started = time.monotonic()

    if endpoint == "track":
        music = _music(api.get(f"/api/v1/spotify/{CATALOG_ID}"))
        assert music[0]["thumbnail"].startswith(f"http://testserver/covers/{CATALOG_ID}.svg?v=")  # its artwork
    else:
        music = _music(api.get(SEARCH, {"search": "serana"}))
    assert [t["id"] for t in music] == [catalog_track.id]

    assert time.monotonic() - started < 15  # no sleeping on the stub's Retry-After of 30 s
    warnings = [r.getMessage() for r in caplog.records if r.name == "music.providers.spotify"]
    assert len(warnings) == 1 and "falling back to the local catalog" in warnings[0]
    assert CLIENT_SECRET not in caplog.text and ACCESS_TOKEN not in caplog.text
    target = "/api/token" if endpoint == "token" else "/v1/"
    assert len([r for r in spotify_stub.requests if r.path.startswith(target)]) == 1


def test_a_timeout_falls_back_quickly(api, spotify_stub, settings, caplog):
    settings.SPOTIFY_TIMEOUT = 0.3
    spotify_stub.delay = 20
    spotify_stub.modes["search"] = "slow"
    local = TrackFactory(name="Serana")
    started = time.monotonic()

    music = _music(api.get(SEARCH, {"search": "serana"}))

    assert time.monotonic() - started < 10  # gave up long before the stub's 20 s answer
    assert [t["id"] for t in music] == [local.id]
    assert "spotify search failed (timeout)" in caplog.text


def test_a_refused_connection_falls_back(api, spotify_stub, caplog):
    local = TrackFactory(name="Serana")
    spotify_stub.close()
    assert [t["id"] for t in _music(api.get(SEARCH, {"search": "serana"}))] == [local.id]
    assert "spotify search failed (connection failed)" in caplog.text


def test_after_a_fault_spotify_is_left_alone_for_the_cooldown(api, spotify_stub, settings):
    spotify_stub.modes["search"] = "error"
    TrackFactory.create_batch(10)
    api.get(SEARCH, {"search": "one"})
    calls = len(spotify_stub.requests)

    api.get(SEARCH, {"search": "two"})
    api.get(RANDOM)

    assert len(spotify_stub.requests) == calls


def test_no_secret_reaches_the_logs_even_at_debug_level(api, spotify_stub, caplog):
    caplog.set_level(logging.DEBUG)
    spotify_stub.add_track(LIVE_ID, "Serana", "For Revenge")
    spotify_stub.modes["track"] = "error"
    _music(api.get(SEARCH, {"search": "serana"}))
    api.get(f"/api/v1/spotify/{CATALOG_ID}")
    assert spotify_stub.token_requests()
    assert CLIENT_SECRET not in caplog.text and ACCESS_TOKEN not in caplog.text


def test_without_credentials_spotify_is_never_called(api, spotify_stub, settings):
    settings.SPOTIFY_CLIENT_ID = ""
    TrackFactory(name="Serana")
    assert len(_music(api.get(SEARCH, {"search": "serana"}))) == 1
    assert api.get(f"/api/v1/spotify/{LIVE_ID}").status_code == 404
    assert spotify_stub.requests == []
