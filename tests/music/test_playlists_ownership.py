"""Only the owner sees or changes a playlist: another user's uuid is always a plain 404."""

import pytest

from music.models import Playlist, PlaylistTrack
from tests.music.factories import PlaylistFactory, PlaylistTrackFactory, TrackFactory

pytestmark = pytest.mark.django_db
NOT_FOUND = {"success": False, "shouldNotify": True, "message": "playlist not found", "data": None}


@pytest.fixture
def theirs(other_user):
    playlist = PlaylistFactory(user=other_user, name="Theirs", description="private")
    PlaylistTrackFactory(playlist=playlist, position=0)
    return playlist


def test_another_users_playlist_cannot_be_seen(client_for, user, theirs):
    client = client_for(user)
    response = client.get(f"/api/v1/playlists/{theirs.uuid}")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert client.get("/api/v1/playlists").json()["data"] == []


def test_another_users_playlist_cannot_be_changed(client_for, user, theirs):
    client = client_for(user)
    track = TrackFactory()
    existing = PlaylistTrack.objects.get(playlist=theirs).track_id
    base = f"/api/v1/playlists/{theirs.uuid}"

    responses = [
        client.patch(base, {"name": "Hijacked"}, format="json"),
        client.delete(base),
        client.post(f"{base}/tracks", {"track_id": track.id}, format="json"),
        client.delete(f"{base}/tracks/{existing}"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert all(r.json() == NOT_FOUND for r in responses)
    theirs.refresh_from_db()
    assert (theirs.name, theirs.description) == ("Theirs", "private")
    assert list(PlaylistTrack.objects.filter(playlist=theirs).values_list("track_id", flat=True)) == [existing]


def test_the_same_name_is_free_for_another_user(client_for, user, theirs):
    response = client_for(user).post("/api/v1/playlists", {"name": "theirs"}, format="json")
    assert response.status_code == 201
    assert Playlist.objects.filter(name__iexact="theirs").count() == 2
