"""POST mood-detection: the tracks of the caller's last three detections are not offered again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.support import assert_envelope
from tests.factories import UserFactory
from tests.history.factories import catalog_tracks, entry_with_tracks
from tests.moods.conftest import ASTRONAUT

pytestmark = pytest.mark.django_db
URL = "/api/v1/mood-detection"


def _detect(client) -> list[str]:
    selfie = SimpleUploadedFile("selfie.jpg", ASTRONAUT.read_bytes(), content_type="image/jpeg")
    data = assert_envelope(client.post(URL, {"image": selfie}, format="multipart"), 200)["data"]
    assert len(data["music"]) == 10
    return [track["id"] for track in data["music"]]


def test_recent_recommendations_are_not_repeated(auth_client):
    catalog = {track.id for track in catalog_tracks(40)}  # exactly four lists' worth

    lists = [_detect(auth_client) for _ in range(4)]

    seen = [track_id for tracks in lists for track_id in tracks]
    assert len(set(seen)) == 40 == len(seen)  # four detections, forty different tracks
    assert set(seen) == catalog
    # The fifth may only reuse what the last three did not give: the first list, exactly.
    assert set(_detect(auth_client)) == set(lists[0])


def test_other_peoples_history_does_not_limit_mine(auth_client):
    tracks = catalog_tracks(12)
    entry_with_tracks(user=UserFactory(), tracks=tracks[:10])  # someone else was given ten of them

    assert len(_detect(auth_client)) == 10
