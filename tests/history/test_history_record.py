"""history_record: one detection and its tracks are stored together, or not at all."""

import pytest

from history.models import HistoryEntry, HistoryTrack
from history.services import history_record
from tests.history.factories import probabilities_for
from tests.music.factories import TrackFactory
from vexora.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_the_entry_and_its_tracks_are_stored_in_order(user):
    tracks = TrackFactory.create_batch(4)
    probabilities = probabilities_for("sad", 0.55)

    entry = history_record(user=user, mood="sad", confidence=0.55, probabilities=probabilities,
                           strategy="uplift", tracks=tracks)

    stored = HistoryEntry.objects.get(uuid=entry.uuid)
    assert (stored.user, stored.mood, stored.confidence, stored.strategy) == (user, "sad", 0.55, "uplift")
    assert stored.probabilities == pytest.approx(probabilities)
    items = HistoryTrack.objects.filter(entry=stored).order_by("position")
    assert [(item.position, item.track_id) for item in items] == [(i, t.id) for i, t in enumerate(tracks)]
    assert len({item.uuid for item in items}) == 4


def test_an_entry_may_have_no_tracks(user):
    entry = history_record(user=user, mood="neutral", confidence=0.4, probabilities=probabilities_for("neutral", 0.4),
                           tracks=[])
    assert entry.items.count() == 0 and entry.strategy == "match"


@pytest.mark.parametrize("fields, field", [
    ({"mood": "bored"}, "mood"),
    ({"strategy": "shuffle"}, "strategy"),
    ({"confidence": 1.2}, "confidence"),
    ({"confidence": float("nan")}, "confidence"),
    ({"confidence": "high"}, "confidence"),
    ({"probabilities": {"happy": 1.0}}, "probabilities"),
    ({"probabilities": {"happy": 0.5, "sad": 0.5, "angry": 0.5, "neutral": 0.5}}, "probabilities"),
    ({"probabilities": {"happy": 1.5, "sad": -0.5, "angry": 0.0, "neutral": 0.0}}, "probabilities"),
])
def test_bad_values_are_refused_and_nothing_is_stored(user, fields, field):
    values = {"mood": "happy", "confidence": 0.7, "probabilities": probabilities_for("happy", 0.7),
              "tracks": TrackFactory.create_batch(2), **fields}

    with pytest.raises(InvalidInput) as caught:
        history_record(user=user, **values)

    assert list(caught.value.errors) == [field]
    assert not HistoryEntry.objects.exists()


def test_a_failure_while_storing_the_tracks_rolls_the_entry_back(user):
    track = TrackFactory()

    with pytest.raises(InvalidInput):  # the same track twice breaks the (entry, track) constraint
        history_record(user=user, mood="happy", confidence=0.7, probabilities=probabilities_for("happy", 0.7),
                       tracks=[TrackFactory(), track, track])

    assert not HistoryEntry.objects.exists()
    assert not HistoryTrack.objects.exists()
