"""PATCH history/{uuid} ("Not right? I feel…"): the person's answer to a reading. The entry keeps
what the model read and stores the answer; the history, stats and most-mood count the answer; the
songs are picked again for it."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from history.models import HistoryEntry, HistoryTrack
from history.services import history_correct_mood
from music.models import Track
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import catalog_tracks, entry_with_tracks

pytestmark = pytest.mark.django_db


def _url(entry):
    return f"{API}history/{entry.uuid}"


def _stored(entry) -> list[str]:
    return list(HistoryTrack.objects.filter(entry=entry).order_by("position").values_list("track_id", flat=True))


def _mean_valence(track_ids) -> float:
    values = list(Track.objects.filter(id__in=track_ids).values_list("valence", flat=True))
    return sum(values) / len(values)


def test_a_correction_keeps_the_reading_and_picks_songs_for_the_answer(auth_client):
    catalog_tracks(100)
    entry = entry_with_tracks(user=auth_client.user, mood="happy", confidence=0.41, tracks=0)
    assert_envelope(auth_client.post(f"{_url(entry)}/recommend", {"strategy": "match"}, format="json"), 200)
    happy_songs = _stored(entry)
    probabilities = HistoryEntry.objects.get(pk=entry.pk).probabilities

    body = assert_envelope(auth_client.patch(_url(entry), {"mood": "sad"}, format="json"), 200, "mood updated!",
                           notify=True)

    data = body["data"]
    assert (data["mood"], data["detected_mood"], data["corrected_mood"]) == ("sad", "happy", "sad")
    assert (data["confidence"], data["probabilities"]) == (0.41, probabilities)  # the reading stays
    entry.refresh_from_db()
    assert (entry.mood, entry.corrected_mood, entry.effective_mood) == ("happy", "sad", "sad")
    sad_songs = _stored(entry)
    assert [track["id"] for track in data["tracks"]] == sad_songs and len(sad_songs) == 10
    assert not set(sad_songs) & set(happy_songs)
    assert _mean_valence(sad_songs) < _mean_valence(happy_songs)  # songs for a sad mood now
    assert assert_envelope(auth_client.get(_url(entry)), 200)["data"] == data


def test_history_stats_and_most_mood_count_the_answer(auth_client):
    catalog_tracks(48)
    user = auth_client.user
    now = timezone.now()
    read_happy = [entry_with_tracks(user=user, mood="happy", tracks=0, created_at=now - dt.timedelta(hours=h))
                  for h in (1, 2, 3)]
    entry_with_tracks(user=user, mood="sad", tracks=0, created_at=now - dt.timedelta(hours=4))
    for entry in read_happy[:2]:
        history_correct_mood(entry=entry, mood="sad")

    listed = assert_envelope(auth_client.get(f"{API}history?mood=sad"), 200)["data"]
    assert len(listed) == 3 and {item["mood"] for item in listed} == {"sad"}
    assert {item["detected_mood"] for item in listed} == {"happy", "sad"}
    assert len(assert_envelope(auth_client.get(f"{API}history?mood=happy"), 200)["data"]) == 1
    stats = assert_envelope(auth_client.get(f"{API}history/stats?days=7"), 200)["data"]
    assert stats["counts"] == {"happy": 1, "sad": 3, "angry": 0, "neutral": 0}
    assert assert_envelope(auth_client.get(f"{API}history/most-mood"), 200)["data"] == {"mood": "sad"}


def test_confirming_the_reading_keeps_the_songs(auth_client):
    entry = entry_with_tracks(user=auth_client.user, mood="angry", tracks=3)
    songs = _stored(entry)

    data = assert_envelope(auth_client.patch(_url(entry), {"mood": "Angry"}, format="json"), 200)["data"]

    assert (data["mood"], data["detected_mood"], data["corrected_mood"]) == ("angry", "angry", "angry")
    assert _stored(entry) == songs


def test_changing_back_to_the_reading_picks_songs_again(auth_client):
    catalog_tracks(48)
    entry = entry_with_tracks(user=auth_client.user, mood="neutral", tracks=0)
    history_correct_mood(entry=entry, mood="angry")
    angry_songs = _stored(entry)

    data = assert_envelope(auth_client.patch(_url(entry), {"mood": "neutral"}, format="json"), 200)["data"]

    assert (data["mood"], data["corrected_mood"]) == ("neutral", "neutral")
    assert _stored(entry) and not set(_stored(entry)) & set(angry_songs)


@pytest.mark.parametrize(("body", "message"), [
    ({"mood": "ecstatic"}, "unknown mood: choose one of happy, sad, angry, neutral"),
    ({"mood": ""}, "mood: choose one of happy, sad, angry, neutral"),
    ({"mood": "  "}, "mood: choose one of happy, sad, angry, neutral"),
    ({"mood": 3}, "mood: must be a string"),
])
def test_a_bad_answer_is_a_400_and_changes_nothing(auth_client, body, message):
    entry = entry_with_tracks(user=auth_client.user, mood="happy", tracks=2)

    response = assert_envelope(auth_client.patch(_url(entry), body, format="json"), 400, message)

    assert "mood" in response["errors"]
    entry.refresh_from_db()
    assert entry.corrected_mood is None


def test_another_users_entry_is_not_found_and_unchanged(auth_client, other_user):
    theirs = entry_with_tracks(user=other_user, mood="happy", tracks=1)

    assert_envelope(auth_client.patch(_url(theirs), {"mood": "sad"}, format="json"), 404, "history entry not found")

    theirs.refresh_from_db()
    assert theirs.corrected_mood is None


def test_the_database_refuses_a_mood_outside_the_vocabulary(user):
    entry = entry_with_tracks(user=user, tracks=0)
    with pytest.raises(IntegrityError):
        HistoryEntry.objects.filter(pk=entry.pk).update(corrected_mood="ecstatic")
