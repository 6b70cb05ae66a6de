"""PATCH history/{uuid} takes the person's answer (`mood`), a note and tags in one body: all of them
are stored, or, when one is wrong, none is (history.services.history_entry_update)."""

import pytest

from history.models import HistoryEntry, HistoryTrack, Tag
from history.services import TAGS_PER_USER_MAX
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import catalog_tracks, entry_with_tracks

pytestmark = pytest.mark.django_db


def _patch(client, entry, body):
    return client.patch(f"{API}history/{entry.uuid}", body, format="json")


def _songs(entry) -> list[str]:
    return list(HistoryTrack.objects.filter(entry=entry).order_by("position").values_list("track_id", flat=True))


def test_a_mood_a_note_and_tags_are_stored_together(auth_client):
    catalog_tracks(48)
    entry = entry_with_tracks(user=auth_client.user, mood="happy", tracks=2)
    before = _songs(entry)

    data = assert_envelope(_patch(auth_client, entry, {"mood": "sad", "note": "a long day", "tags": ["work"]}),
                           200, "history entry updated!", notify=True)["data"]

    assert (data["mood"], data["detected_mood"], data["corrected_mood"]) == ("sad", "happy", "sad")
    assert (data["note"], data["tags"]) == ("a long day", ["work"])
    assert _songs(entry) and not set(_songs(entry)) & set(before)  # songs picked again for the answer
    assert [track["id"] for track in data["tracks"]] == _songs(entry)


def test_a_mood_alone_keeps_the_note_and_tags(auth_client):
    entry = entry_with_tracks(user=auth_client.user, mood="angry", tracks=2)
    _patch(auth_client, entry, {"note": "traffic", "tags": ["work"]})

    data = assert_envelope(_patch(auth_client, entry, {"mood": "angry"}), 200, "mood updated!")["data"]

    assert (data["corrected_mood"], data["note"], data["tags"]) == ("angry", "traffic", ["work"])


@pytest.mark.parametrize(("body", "field"), [
    ({"mood": "sad", "tags": ["-dash"]}, "tags"),
    ({"mood": "sad", "note": "x" * 501}, "note"),
    ({"mood": "ecstatic", "note": "fine"}, "mood"),
])
def test_one_wrong_field_changes_nothing(auth_client, body, field):
    catalog_tracks(48)
    entry = entry_with_tracks(user=auth_client.user, mood="happy", tracks=2, note="kept")
    before = _songs(entry)

    response = assert_envelope(_patch(auth_client, entry, body), 400)

    assert field in response["errors"]
    entry.refresh_from_db()
    assert (entry.corrected_mood, entry.note, _songs(entry)) == (None, "kept", before)
    assert not Tag.objects.exists()


def test_a_full_set_of_tags_refuses_a_new_one_before_the_mood_is_stored(auth_client):
    catalog_tracks(48)
    user = auth_client.user
    Tag.objects.bulk_create([Tag(user=user, name=f"tag{i}") for i in range(TAGS_PER_USER_MAX)])
    entry = entry_with_tracks(user=user, mood="happy", tracks=2)
    before = _songs(entry)

    assert_envelope(_patch(auth_client, entry, {"mood": "sad", "tags": ["one more"]}), 400,
                    f"you have {TAGS_PER_USER_MAX} tags already: reuse one of them")

    assert HistoryEntry.objects.get(pk=entry.pk).corrected_mood is None and _songs(entry) == before
    assert_envelope(_patch(auth_client, entry, {"mood": "sad", "tags": ["TAG7"]}), 200)  # an existing one is fine


def test_no_song_left_for_the_answer_changes_nothing(auth_client):
    entry = entry_with_tracks(user=auth_client.user, mood="happy", tracks=2, note="kept")  # no other song exists

    assert_envelope(_patch(auth_client, entry, {"mood": "sad", "note": "new", "tags": ["work"]}), 503,
                    "no other songs are available for this mood right now")

    entry.refresh_from_db()
    assert (entry.corrected_mood, entry.note) == (None, "kept") and not Tag.objects.exists()
