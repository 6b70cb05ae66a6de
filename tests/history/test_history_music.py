"""GET music/{history_uuid}: the tracks recommended with one of the caller's entries (the API v1 shape)."""

import uuid

import pytest
from rest_framework.fields import DateTimeField

from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import entry_with_tracks
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db
FIELDS = {"uuid", "created_at", "history_uuid", "id", "playlist_name", "name", "artist", "album", "year", "duration_ms",
          "genres", "path", "embed_url", "thumbnail", "reason"}


def test_the_tracks_of_an_entry_in_order(auth_client):
    tracks = TrackFactory.create_batch(4)
    entry = entry_with_tracks(user=auth_client.user, tracks=tracks)
    items = list(entry.items.order_by("position"))

    body = assert_envelope(auth_client.get(f"{API}music/{entry.uuid}"), 200, "history entry found!", notify=False)

    data = body["data"]
    assert [row["id"] for row in data] == [track.id for track in tracks]
    assert all(set(row) == FIELDS for row in data)
    assert [row["uuid"] for row in data] == [str(item.uuid) for item in items]  # the recommendation's own id
    assert {row["history_uuid"] for row in data} == {str(entry.uuid)}
    assert {row["created_at"] for row in data} == {DateTimeField().to_representation(entry.created_at)}
    first = data[0]
    assert (first["name"], first["playlist_name"], first["artist"], first["album"]) == (
        tracks[0].name, tracks[0].name, tracks[0].artist, tracks[0].album)
    assert first["path"] == f"https://open.spotify.com/track/{tracks[0].id}"


def test_an_entry_without_tracks_is_an_empty_list(auth_client):
    entry = entry_with_tracks(user=auth_client.user, tracks=0)
    assert assert_envelope(auth_client.get(f"{API}music/{entry.uuid}"), 200)["data"] == []


def test_another_users_entry_is_not_found(auth_client, other_user):
    theirs = entry_with_tracks(user=other_user, tracks=3)

    response = auth_client.get(f"{API}music/{theirs.uuid}")

    assert_envelope(response, 404, "history entry not found", data=None)
    assert "tracks" not in response.content.decode() and theirs.items.first().track_id not in response.content.decode()


@pytest.mark.parametrize("segment", [str(uuid.uuid4()), "0lYBSQXN6rCTvUZvg9S0lU"])
def test_unknown_ids_are_not_found(auth_client, segment):
    assert_envelope(auth_client.get(f"{API}music/{segment}"), 404, "history entry not found")


def test_it_needs_authentication(api_client, user):
    entry = entry_with_tracks(user=user, tracks=1)
    assert_envelope(api_client.get(f"{API}music/{entry.uuid}"), 401)


def test_the_number_of_queries_does_not_grow_with_the_tracks(auth_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(entry):
        with CaptureQueriesContext(connection) as captured:
            assert_envelope(auth_client.get(f"{API}music/{entry.uuid}"), 200)
        return len(captured)

    assert queries(entry_with_tracks(user=auth_client.user, tracks=1)) == queries(
        entry_with_tracks(user=auth_client.user, tracks=10))
