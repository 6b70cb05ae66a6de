"""GET history/most-mood: the caller's most frequent mood; a tie goes to the most recent of the
tied moods; null without history."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db
URL = API + "history/most-mood"


def _entries(user, moods):
    """Entries with these moods, oldest first (one hour apart, the last one an hour ago)."""
    now = timezone.now()
    for hours_ago, mood in zip(range(len(moods), 0, -1), moods):
        HistoryEntryFactory(user=user, mood=mood, created_at=now - dt.timedelta(hours=hours_ago))


def _most(client):
    return assert_envelope(client.get(URL), 200, "success", notify=False)["data"]


def test_the_most_frequent_mood(auth_client):
    _entries(auth_client.user, ["sad", "happy", "sad", "neutral", "sad", "happy"])
    assert _most(auth_client) == {"mood": "sad"}


@pytest.mark.parametrize("moods, expected", [
    (["happy", "sad", "happy", "sad"], "sad"),        # sad was seen last
    (["sad", "happy", "sad", "happy"], "happy"),      # the same counts, the other order
    (["angry", "sad", "neutral", "happy"], "happy"),  # all tied at one
    (["happy", "happy", "angry", "sad", "angry", "neutral"], "angry"),  # neutral is latest but not tied
])
def test_a_tie_goes_to_the_most_recent_of_the_tied_moods(auth_client, moods, expected):
    _entries(auth_client.user, moods)
    assert _most(auth_client) == {"mood": expected}


def test_null_without_history(auth_client, other_user):
    _entries(other_user, ["angry", "angry"])  # someone else's history does not count
    assert _most(auth_client) == {"mood": None}


def test_only_the_callers_entries_count(auth_client, other_user):
    _entries(auth_client.user, ["neutral"])
    _entries(other_user, ["angry", "angry", "angry"])
    assert _most(auth_client) == {"mood": "neutral"}


def test_it_needs_authentication(api_client):
    assert_envelope(api_client.get(URL), 401)
