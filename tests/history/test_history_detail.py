"""GET history/{uuid}: one of the caller's entries with its probabilities and tracks; anyone
else's (or an unknown or malformed uuid) is the same 404."""

import uuid

import pytest

from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import entry_with_tracks, probabilities_for
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db
NOT_FOUND = {"success": False, "shouldNotify": True, "message": "history entry not found", "data": None}
TRACK_FIELDS = {"id", "name", "playlist_name", "artist", "album", "year", "duration_ms", "genres", "path", "embed_url",
                "thumbnail", "reason"}


def test_an_entry_with_its_tracks_in_order(auth_client):
    tracks = [TrackFactory(thumbnail="https://i.scdn.co/image/cover"), TrackFactory(), TrackFactory()]
    entry = entry_with_tracks(user=auth_client.user, mood="angry", confidence=0.61, strategy="uplift", tracks=tracks)

    body = assert_envelope(auth_client.get(f"{API}history/{entry.uuid}"), 200, "history entry found!", notify=False)

    data = body["data"]
    assert {key: data[key] for key in ("uuid", "user_id", "mood", "confidence", "strategy", "track_count")} == {
        "uuid": str(entry.uuid), "user_id": str(auth_client.user.uuid), "mood": "angry", "confidence": 0.61,
        "strategy": "uplift", "track_count": 3,
    }
    assert data["probabilities"] == pytest.approx(probabilities_for("angry", 0.61))
    assert data["created_at"]
    assert [track["id"] for track in data["tracks"]] == [track.id for track in tracks]
    first = data["tracks"][0]
    assert set(first) == TRACK_FIELDS
    assert first["playlist_name"] == first["name"] == tracks[0].name
    assert first["path"] == f"https://open.spotify.com/track/{tracks[0].id}"
    assert first["thumbnail"] == "https://i.scdn.co/image/cover"
    assert data["tracks"][1]["thumbnail"].startswith(f"http://testserver/covers/{tracks[1].id}.svg?v=")


def test_another_users_entry_is_not_found(auth_client, other_user):
    theirs = entry_with_tracks(user=other_user, tracks=2)

    response = auth_client.get(f"{API}history/{theirs.uuid}")

    assert response.status_code == 404 and response.json() == NOT_FOUND


@pytest.mark.parametrize("segment", [str(uuid.uuid4()), "not-a-uuid", "123", "%20"])
def test_unknown_or_malformed_uuids_are_not_found(auth_client, segment):
    response = auth_client.get(f"{API}history/{segment}")
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_it_needs_authentication(api_client, user):
    entry = entry_with_tracks(user=user, tracks=1)
    assert_envelope(api_client.get(f"{API}history/{entry.uuid}"), 401, "authentication required")
