"""DELETE history/{uuid}: a person erases one of their entries and the tracks recorded with it."""

import uuid

import pytest

from history.models import HistoryEntry, HistoryTrack
from music.models import Track
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


def test_the_entry_and_its_tracks_are_erased(auth_client):
    entry = entry_with_tracks(user=auth_client.user, tracks=3)
    kept = entry_with_tracks(user=auth_client.user, tracks=2)
    track_ids = list(entry.items.values_list("track_id", flat=True))

    response = auth_client.delete(f"{API}history/{entry.uuid}")

    assert_envelope(response, 200, "history entry deleted!", notify=True, data=None)
    assert not HistoryEntry.objects.filter(pk=entry.pk).exists()
    assert not HistoryTrack.objects.filter(entry_id=entry.pk).exists()
    assert Track.objects.filter(id__in=track_ids).count() == 3  # the catalog is untouched
    assert HistoryTrack.objects.filter(entry=kept).count() == 2
    assert_envelope(auth_client.get(f"{API}history/{entry.uuid}"), 404, "history entry not found")
    assert_envelope(auth_client.delete(f"{API}history/{entry.uuid}"), 404, "history entry not found")


def test_another_users_entry_cannot_be_deleted(auth_client, other_user):
    theirs = entry_with_tracks(user=other_user, tracks=2)

    response = auth_client.delete(f"{API}history/{theirs.uuid}")

    assert_envelope(response, 404, "history entry not found", data=None)
    assert HistoryEntry.objects.filter(pk=theirs.pk).exists()
    assert HistoryTrack.objects.filter(entry=theirs).count() == 2


@pytest.mark.parametrize("segment", [str(uuid.uuid4()), "nope"])
def test_unknown_uuids_are_not_found(auth_client, segment):
    entry_with_tracks(user=auth_client.user, tracks=1)

    assert_envelope(auth_client.delete(f"{API}history/{segment}"), 404, "history entry not found")
    assert HistoryEntry.objects.count() == 1


def test_it_needs_authentication(api_client, user):
    entry = entry_with_tracks(user=user, tracks=1)

    assert_envelope(api_client.delete(f"{API}history/{entry.uuid}"), 401)
    assert HistoryEntry.objects.filter(pk=entry.pk).exists()
