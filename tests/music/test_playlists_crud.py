"""Playlists: create, list, retrieve, rename, delete (the caller's own)."""

import uuid

import pytest

from music.models import Playlist, PlaylistTrack
from tests.music.factories import PlaylistFactory, PlaylistTrackFactory, TrackFactory

URL = "/api/v1/playlists"
pytestmark = pytest.mark.django_db


def test_create_a_playlist(client_for, user):
    response = client_for(user).post(URL, {"name": "  Late   night ", "description": "for the drive home"},
                                     format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "playlist created successfully!" and body["shouldNotify"] is True
    data = body["data"]
    assert set(data) == {"uuid", "name", "description", "created_at", "updated_at", "track_count", "tracks"}
    assert (data["name"], data["description"], data["track_count"], data["tracks"]) == (
        "Late night", "for the drive home", 0, [])
    playlist = Playlist.objects.get(uuid=data["uuid"])
    assert playlist.user == user and playlist.name == "Late night"


def test_create_with_tracks_keeps_their_order(client_for, user):
    tracks = TrackFactory.create_batch(3)
    ids = [tracks[2].id, tracks[0].id, tracks[1].id]

    response = client_for(user).post(URL, {"name": "Mix", "track_ids": ids}, format="json")

    assert response.status_code == 201
    assert [t["id"] for t in response.json()["data"]["tracks"]] == ids
    assert response.json()["data"]["track_count"] == 3


def test_create_with_an_unknown_track_creates_nothing(client_for, user):
    track = TrackFactory()
    response = client_for(user).post(URL, {"name": "Mix", "track_ids": [track.id, "UnknownTrack0000000000"]},
                                     format="json")
    assert response.status_code == 404 and response.json()["message"] == "track not found"
    assert not Playlist.objects.exists()


@pytest.mark.parametrize("payload, message, field", [
    ({}, "playlist name is required", "name"),
    ({"name": ""}, "playlist name is required", "name"),
    ({"name": "   "}, "playlist name is required", "name"),
    ({"name": "x" * 101}, "playlist name is too long (100 characters at most)", "name"),
    ({"name": "ok", "description": "d" * 501}, "playlist description is too long (500 characters at most)",
     "description"),
    ({"name": ["a", "b"]}, "name: must be a string", "name"),
    ({"name": "ok", "track_ids": "abc"}, "track_ids: must be a list of track ids", "track_ids"),
])
def test_invalid_input_is_a_400_with_errors(client_for, user, payload, message, field):
    response = client_for(user).post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == message and body["success"] is False
    assert field in body["errors"]
    assert not Playlist.objects.exists()


def test_names_are_unique_per_user_ignoring_case(client_for, user, other_user):
    PlaylistFactory(user=user, name="Road Trip")
    PlaylistFactory(user=other_user, name="Gym")

    response = client_for(user).post(URL, {"name": "ROAD TRIP"}, format="json")

    assert response.status_code == 400
    assert response.json()["message"] == "a playlist with this name already exists"
    assert response.json()["errors"] == {"name": ["a playlist with this name already exists"]}
    assert client_for(user).post(URL, {"name": "gym"}, format="json").status_code == 201  # another user's name


def test_list_is_paginated_newest_first_and_only_mine(client_for, user, other_user):
    older = PlaylistFactory(user=user, name="Older")
    newer = PlaylistFactory(user=user, name="Newer")
    PlaylistTrackFactory(playlist=newer, position=0)
    PlaylistFactory(user=other_user, name="Not mine")

    response = client_for(user).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "playlists retrieved successfully!" and body["shouldNotify"] is False
    assert [p["uuid"] for p in body["data"]] == [str(newer.uuid), str(older.uuid)]
    assert [p["track_count"] for p in body["data"]] == [1, 0]
    assert body["meta"] == {"page": 1, "page_size": 20, "total": 2, "pages": 1}


def test_list_pages(client_for, user):
    PlaylistFactory.create_batch(3, user=user)
    client = client_for(user)
    second = client.get(URL, {"page": 2, "page_size": 2}).json()
    assert len(second["data"]) == 1 and second["meta"]["total"] == 3
    assert client.get(URL, {"page": 9}).status_code == 404


def test_retrieve_with_tracks_in_order(client_for, user):
    playlist = PlaylistFactory(user=user, description="words")
    first, second = TrackFactory(), TrackFactory()
    PlaylistTrackFactory(playlist=playlist, track=second, position=1)
    PlaylistTrackFactory(playlist=playlist, track=first, position=0)

    response = client_for(user).get(f"{URL}/{playlist.uuid}")

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "playlist retrieved successfully!"
    assert body["data"]["description"] == "words" and body["data"]["track_count"] == 2
    assert [t["id"] for t in body["data"]["tracks"]] == [first.id, second.id]
    assert set(body["data"]["tracks"][0]) == {"id", "name", "playlist_name", "artist", "album", "year", "duration_ms",
                                              "genres", "path", "embed_url", "thumbnail", "reason"}


@pytest.mark.parametrize("key", [str(uuid.uuid4()), "not-a-uuid", "123"])
def test_unknown_or_malformed_uuid_is_not_found(client_for, user, key):
    response = client_for(user).get(f"{URL}/{key}")
    assert response.status_code == 404 and response.json()["message"] == "playlist not found"


def test_rename_and_describe(client_for, user):
    playlist = PlaylistFactory(user=user, name="Old", description="old words")
    before = playlist.updated_at

    response = client_for(user).patch(f"{URL}/{playlist.uuid}", {"name": "New"}, format="json")

    assert response.status_code == 200
    assert response.json()["message"] == "playlist updated successfully!"
    assert response.json()["data"]["name"] == "New" and response.json()["data"]["description"] == "old words"
    playlist.refresh_from_db()
    assert playlist.name == "New" and playlist.updated_at > before
    response = client_for(user).patch(f"{URL}/{playlist.uuid}", {"description": ""}, format="json")
    assert response.status_code == 200 and response.json()["data"]["description"] == ""


def test_rename_checks_names_like_create(client_for, user):
    PlaylistFactory(user=user, name="Taken")
    playlist = PlaylistFactory(user=user, name="Mine")
    client = client_for(user)

    taken = client.patch(f"{URL}/{playlist.uuid}", {"name": "TAKEN"}, format="json")
    blank = client.patch(f"{URL}/{playlist.uuid}", {"name": " "}, format="json")
    recased = client.patch(f"{URL}/{playlist.uuid}", {"name": "MINE"}, format="json")

    assert taken.status_code == 400 and taken.json()["message"] == "a playlist with this name already exists"
    assert blank.status_code == 400 and blank.json()["message"] == "playlist name is required"
    assert recased.status_code == 200 and recased.json()["data"]["name"] == "MINE"


def test_put_is_not_offered(client_for, user):
    playlist = PlaylistFactory(user=user)
    response = client_for(user).put(f"{URL}/{playlist.uuid}", {"name": "x"}, format="json")
    assert response.status_code == 405


def test_delete_removes_the_playlist_and_its_entries_but_not_the_tracks(client_for, user):
    playlist = PlaylistFactory(user=user)
    item = PlaylistTrackFactory(playlist=playlist, position=0)
    client = client_for(user)

    response = client.delete(f"{URL}/{playlist.uuid}")

    assert response.status_code == 200
    assert response.json() == {"success": True, "shouldNotify": True, "message": "playlist deleted successfully!",
                               "data": None}
    assert not Playlist.objects.filter(pk=playlist.pk).exists() and not PlaylistTrack.objects.exists()
    assert type(item.track).objects.filter(pk=item.track_id).exists()
    assert client.delete(f"{URL}/{playlist.uuid}").status_code == 404


def test_a_token_is_required(api_client, user):
    playlist = PlaylistFactory(user=user)
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {"name": "x"}, format="json").status_code == 401
    assert api_client.get(f"{URL}/{playlist.uuid}").status_code == 401
    assert api_client.delete(f"{URL}/{playlist.uuid}").status_code == 401
    assert Playlist.objects.count() == 1
