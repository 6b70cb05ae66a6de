"""POST history/{uuid}/playlist: a recommendation saved as one of the caller's playlists."""

import datetime as dt

import pytest

from music.models import Playlist, PlaylistTrack
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import entry_with_tracks
from tests.music.factories import PlaylistFactory, TrackFactory

pytestmark = pytest.mark.django_db
PLAYLIST_FIELDS = {"uuid", "name", "description", "created_at", "updated_at", "track_count", "tracks"}


def _url(entry):
    return f"{API}history/{entry.uuid}/playlist"


def test_the_entrys_tracks_become_a_playlist_in_order(auth_client):
    tracks = TrackFactory.create_batch(5)
    entry = entry_with_tracks(user=auth_client.user, tracks=tracks)

    response = auth_client.post(_url(entry), {"name": "Monday blues", "description": "from my selfie"},
                                format="json")

    body = assert_envelope(response, 201, "playlist created successfully!", notify=True)
    assert set(body["data"]) == PLAYLIST_FIELDS
    assert (body["data"]["name"], body["data"]["description"], body["data"]["track_count"]) == (
        "Monday blues", "from my selfie", 5)
    assert [track["id"] for track in body["data"]["tracks"]] == [track.id for track in tracks]
    playlist = Playlist.objects.get(uuid=body["data"]["uuid"])
    assert playlist.user == auth_client.user
    assert list(PlaylistTrack.objects.filter(playlist=playlist).order_by("position")
                .values_list("track_id", flat=True)) == [track.id for track in tracks]
    assert entry.items.count() == 5  # the history entry is unchanged


def test_without_a_name_the_playlist_is_named_after_the_mood_and_date(auth_client, settings):
    settings.TIME_ZONE = "UTC"
    created = dt.datetime(2026, 11, 24, 22, 30, tzinfo=dt.timezone.utc)
    entry = entry_with_tracks(user=auth_client.user, mood="happy", tracks=2, created_at=created)

    first = assert_envelope(auth_client.post(_url(entry), {}, format="json"), 201)["data"]
    second = assert_envelope(auth_client.post(_url(entry), {"name": "  "}, format="multipart"), 201)["data"]

    assert first["name"] == "Happy mix — 24 Nov 2026"
    assert first["description"] == "" and first["track_count"] == 2
    assert second["name"] == "Happy mix — 24 Nov 2026 (2)"  # the default never collides


def test_the_default_name_uses_the_sites_time_zone(auth_client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    created = dt.datetime(2026, 11, 24, 22, 30, tzinfo=dt.timezone.utc)  # 25 Nov in Tokyo
    entry = entry_with_tracks(user=auth_client.user, mood="sad", tracks=1, created_at=created)

    data = assert_envelope(auth_client.post(_url(entry), {}, format="json"), 201)["data"]

    assert data["name"] == "Sad mix — 25 Nov 2026"


def test_a_name_already_taken_is_a_400_from_music(auth_client):
    PlaylistFactory(user=auth_client.user, name="Chill")
    entry = entry_with_tracks(user=auth_client.user, tracks=2)

    body = assert_envelope(auth_client.post(_url(entry), {"name": "chill"}, format="json"), 400,
                           "a playlist with this name already exists")

    assert list(body["errors"]) == ["name"]
    assert Playlist.objects.filter(user=auth_client.user).count() == 1


def test_a_too_long_name_is_a_400(auth_client):
    entry = entry_with_tracks(user=auth_client.user, tracks=1)
    body = assert_envelope(auth_client.post(_url(entry), {"name": "x" * 101}, format="json"), 400)
    assert list(body["errors"]) == ["name"]
    assert not Playlist.objects.exists()


def test_another_users_entry_cannot_be_saved(auth_client, other_user):
    theirs = entry_with_tracks(user=other_user, tracks=3)

    assert_envelope(auth_client.post(_url(theirs), {"name": "Stolen"}, format="json"), 404,
                    "history entry not found", data=None)
    assert not Playlist.objects.exists()


def test_it_needs_authentication(api_client, user):
    entry = entry_with_tracks(user=user, tracks=1)
    assert_envelope(api_client.post(_url(entry), {}, format="json"), 401)
    assert not Playlist.objects.exists()
