"""The database itself refuses impossible history rows (not only the services)."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from history.models import HistoryEntry, HistoryTrack
from tests.history.factories import HistoryEntryFactory, HistoryTrackFactory, entry_with_tracks
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_the_stored_moods_and_strategies_are_the_vocabularys():
    from moods.ml.network import MOODS as DETECTOR_CLASSES
    from vexora.moods import MOODS, STRATEGIES

    assert set(DETECTOR_CLASSES) == set(MOODS) == {"happy", "sad", "angry", "neutral"}
    assert [value for value, _ in HistoryEntry._meta.get_field("mood").choices] == list(MOODS)
    assert [value for value, _ in HistoryEntry._meta.get_field("strategy").choices] == list(STRATEGIES)


@pytest.mark.parametrize("fields", [
    {"mood": "excited"},
    {"mood": ""},
    {"confidence": 1.5},
    {"confidence": -0.1},
    {"strategy": "random"},
], ids=["unknown-mood", "blank-mood", "confidence-above-1", "confidence-below-0", "unknown-strategy"])
def test_impossible_entries_are_refused_by_the_database(user, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoryEntryFactory(user=user, probabilities={}, **fields)


def test_a_position_and_a_track_appear_once_per_entry():
    entry = entry_with_tracks(tracks=2)
    first = HistoryTrack.objects.get(entry=entry, position=0)

    with pytest.raises(IntegrityError), transaction.atomic():
        HistoryTrackFactory(entry=entry, position=0)  # another track at a taken position
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoryTrackFactory(entry=entry, track=first.track, position=5)  # the same track again

    HistoryTrackFactory(entry=HistoryEntryFactory(), track=first.track, position=0)  # fine in another entry


def test_a_track_in_someones_history_cannot_be_deleted_from_the_catalog():
    track = TrackFactory()
    entry_with_tracks(tracks=[track])

    with pytest.raises(ProtectedError):
        track.delete()


def test_deleting_a_user_erases_their_history(user):
    entry = entry_with_tracks(user=user, tracks=2)

    user.delete()

    assert not HistoryTrack.objects.filter(entry_id=entry.pk).exists()
    assert not type(entry).objects.filter(pk=entry.pk).exists()
