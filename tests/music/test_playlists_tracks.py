"""Adding and removing a playlist's tracks: order kept, no repeats, positions compacted."""

import pytest

from music.models import PlaylistTrack, Track
from tests.music.factories import PlaylistFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _tracks_url(playlist, track_id=None):
    base = f"/api/v1/playlists/{playlist.uuid}/tracks"
    return f"{base}/{track_id}" if track_id else base


def _positions(playlist):
    return list(PlaylistTrack.objects.filter(playlist=playlist).order_by("position")
                .values_list("track_id", "position"))


def test_tracks_are_appended_in_order(client_for, user):
    playlist = PlaylistFactory(user=user)
    first, second = TrackFactory(), TrackFactory()
    client = client_for(user)

    client.post(_tracks_url(playlist), {"track_id": first.id}, format="json")
    response = client.post(_tracks_url(playlist), {"track_id": second.id}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "track added to playlist successfully!"
    assert [t["id"] for t in body["data"]["tracks"]] == [first.id, second.id] and body["data"]["track_count"] == 2
    assert _positions(playlist) == [(first.id, 0), (second.id, 1)]


def test_a_track_cannot_be_added_twice(client_for, user):
    playlist = PlaylistFactory(user=user)
    track = TrackFactory()
    client = client_for(user)
    client.post(_tracks_url(playlist), {"track_id": track.id}, format="json")

    response = client.post(_tracks_url(playlist), {"track_id": track.id}, format="json")

    assert response.status_code == 400 and response.json()["message"] == "track already in playlist"
    assert _positions(playlist) == [(track.id, 0)]


@pytest.mark.parametrize("payload, status, message", [
    ({"track_id": "UnknownTrack0000000000"}, 404, "track not found"),
    ({"track_id": "not-an-id"}, 404, "track not found"),
    ({}, 400, "track_id: this field is required"),
    ({"track_id": ""}, 400, "track_id: this field is required"),
])
def test_bad_track_ids(client_for, user, payload, status, message):
    playlist = PlaylistFactory(user=user)
    response = client_for(user).post(_tracks_url(playlist), payload, format="json")
    assert response.status_code == status and response.json()["message"] == message
    assert _positions(playlist) == []


def test_removing_a_track_closes_the_gap(client_for, user):
    playlist = PlaylistFactory(user=user)
    tracks = TrackFactory.create_batch(4)
    client = client_for(user)
    for track in tracks:
        client.post(_tracks_url(playlist), {"track_id": track.id}, format="json")

    response = client.delete(_tracks_url(playlist, tracks[1].id))

    assert response.status_code == 200
    assert response.json()["message"] == "track removed from playlist successfully!"
    assert [t["id"] for t in response.json()["data"]["tracks"]] == [tracks[0].id, tracks[2].id, tracks[3].id]
    assert _positions(playlist) == [(tracks[0].id, 0), (tracks[2].id, 1), (tracks[3].id, 2)]
    client.post(_tracks_url(playlist), {"track_id": tracks[1].id}, format="json")  # appended after the rest
    assert _positions(playlist)[-1] == (tracks[1].id, 3)
    assert Track.objects.filter(pk=tracks[1].id).exists()


def test_removing_a_track_that_is_not_there(client_for, user):
    playlist = PlaylistFactory(user=user)
    track = TrackFactory()
    response = client_for(user).delete(_tracks_url(playlist, track.id))
    assert response.status_code == 404 and response.json()["message"] == "track not in playlist"


def test_a_track_spotify_resolves_is_stored_and_added(client_for, user, spotify_stub):
    playlist = PlaylistFactory(user=user)
    spotify_stub.add_track("0PtJbtW50jcvvswNPn3QGd", "Serana", "For Revenge", cover="https://i.scdn.co/image/s")

    response = client_for(user).post(_tracks_url(playlist), {"track_id": "0PtJbtW50jcvvswNPn3QGd"}, format="json")

    assert response.status_code == 201
    assert response.json()["data"]["tracks"][0]["thumbnail"] == "https://i.scdn.co/image/s"
    stored = Track.objects.get(pk="0PtJbtW50jcvvswNPn3QGd")
    assert (stored.name, stored.artist, stored.in_catalog, stored.valence) == ("Serana", "For Revenge", False, None)
    assert spotify_stub.unexpected_requests() == []


def test_a_track_is_not_found_when_spotify_is_down(client_for, user, spotify_stub):
    playlist = PlaylistFactory(user=user)
    spotify_stub.add_track("0PtJbtW50jcvvswNPn3QGd", "Serana", "For Revenge")
    spotify_stub.modes["track"] = "error"

    response = client_for(user).post(_tracks_url(playlist), {"track_id": "0PtJbtW50jcvvswNPn3QGd"}, format="json")

    assert response.status_code == 404 and response.json()["message"] == "track not found"
    assert not Track.objects.exists()
