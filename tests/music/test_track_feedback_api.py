"""POST/DELETE spotify/{id}/feedback: a listener rates a track (like / skip) and can undo it."""

import pytest

from music.models import TrackFeedback
from tests.accounts.support import assert_envelope
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def _url(track_id):
    return f"/api/v1/spotify/{track_id}/feedback"


def test_a_rating_is_stored_and_a_new_one_replaces_it(auth_client):
    track = TrackFactory()

    body = assert_envelope(auth_client.post(_url(track.id), {"rating": "like"}, format="json"), 200, "rating saved")
    assert body["data"] == {"track_id": track.id, "rating": "like"}
    assert_envelope(auth_client.post(_url(track.id), {"rating": "skip"}, format="json"), 200)

    assert list(TrackFeedback.objects.filter(user=auth_client.user).values_list("track_id", "rating")) == [
        (track.id, "skip")]
    taste = assert_envelope(auth_client.get("/api/v1/user/taste"), 200)["data"]
    assert taste["skipped_tracks"] == [track.id] and taste["liked_tracks"] == []


def test_delete_undoes_the_rating_and_a_second_delete_is_a_404(auth_client):
    track = TrackFactory()
    auth_client.post(_url(track.id), {"rating": "like"}, format="json")

    assert_envelope(auth_client.delete(_url(track.id)), 200, "rating removed")
    assert not TrackFeedback.objects.exists()
    assert_envelope(auth_client.delete(_url(track.id)), 404)


@pytest.mark.parametrize("payload", [{"rating": "love"}, {}, {"rating": None}])
def test_a_bad_rating_is_a_400(auth_client, payload):
    track = TrackFactory()

    body = assert_envelope(auth_client.post(_url(track.id), payload, format="json"), 400)

    assert "rating" in body["errors"]
    assert not TrackFeedback.objects.exists()


def test_an_unknown_or_malformed_track_is_a_404(auth_client):
    assert_envelope(auth_client.post(_url("0" * 22), {"rating": "like"}, format="json"), 404)
    assert_envelope(auth_client.post(_url("nope"), {"rating": "like"}, format="json"), 404)


def test_ratings_are_per_user(auth_client, other_user):
    track = TrackFactory()
    TrackFeedback.objects.create(user=other_user, track=track, rating="skip")

    assert_envelope(auth_client.delete(_url(track.id)), 404)
    assert TrackFeedback.objects.filter(user=other_user).count() == 1
