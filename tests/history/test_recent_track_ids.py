"""history_recent_track_ids: what the recommender must not offer again right away."""

import datetime as dt

import pytest
from django.utils import timezone

from history.selectors import history_recent_track_ids
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


def test_the_tracks_of_the_last_entries_newest_first(user, other_user):
    now = timezone.now()
    entries = [entry_with_tracks(user=user, tracks=2, created_at=now - dt.timedelta(hours=hours))
               for hours in (4, 3, 2, 1)]  # oldest first
    entry_with_tracks(user=other_user, tracks=2, created_at=now)

    recent = history_recent_track_ids(user=user, entries=3)

    expected = [item.track_id for entry in reversed(entries[1:]) for item in entry.items.order_by("position")]
    assert recent == expected
    assert history_recent_track_ids(user=user, entries=1) == expected[:2]
    assert history_recent_track_ids(user=user, entries=0) == []


def test_a_track_given_twice_is_listed_once(user):
    first = entry_with_tracks(user=user, tracks=2, created_at=timezone.now() - dt.timedelta(hours=1))
    shared = first.items.get(position=0).track
    entry_with_tracks(user=user, tracks=[shared])

    assert history_recent_track_ids(user=user) == [shared.id, first.items.get(position=1).track_id]


def test_no_history_no_ids(user):
    assert history_recent_track_ids(user=user) == []
