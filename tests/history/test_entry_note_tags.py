"""PATCH history/{uuid}: a person adds a note and tags to a reading, changes them later, and sees
them in the history and the entry (history.services.history_entry_update)."""

import pytest

from history.models import HistoryEntry, HistoryEntryTag, Tag
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import HistoryEntryFactory, entry_with_tracks

pytestmark = pytest.mark.django_db


def _patch(client, entry, body):
    return client.patch(f"{API}history/{entry.uuid}", body, format="json")


def test_a_note_and_tags_are_stored_and_answered(auth_client):
    entry = entry_with_tracks(user=auth_client.user, tracks=2)

    body = assert_envelope(_patch(auth_client, entry, {"note": "  Long walk by the river \r\nthen tea ",
                                                       "tags": ["exercise", "Rain"]}),
                           200, "history entry updated!", notify=True)

    assert body["data"]["note"] == "Long walk by the river \nthen tea"
    assert body["data"]["tags"] == ["exercise", "Rain"]  # by name, the spelling kept
    assert len(body["data"]["tracks"]) == 2  # the detail shape
    entry.refresh_from_db()
    assert entry.note == "Long walk by the river \nthen tea"
    assert sorted(Tag.objects.filter(user=auth_client.user).values_list("name", flat=True)) == ["Rain", "exercise"]
    listed = auth_client.get(f"{API}history").json()["data"][0]
    assert (listed["note"], listed["tags"]) == ("Long walk by the river \nthen tea", ["exercise", "Rain"])


def test_tags_sent_replace_the_entrys_tags_and_unused_tags_go(auth_client):
    entry = HistoryEntryFactory(user=auth_client.user)
    other = HistoryEntryFactory(user=auth_client.user)
    _patch(auth_client, entry, {"tags": ["work", "rain"]})
    _patch(auth_client, other, {"tags": ["work"]})

    data = assert_envelope(_patch(auth_client, entry, {"tags": ["sleep"]}), 200)["data"]

    assert data["tags"] == ["sleep"]
    # "rain" was on this entry only: gone; "work" is still on the other entry: kept.
    assert sorted(Tag.objects.filter(user=auth_client.user).values_list("name", flat=True)) == ["sleep", "work"]
    data = assert_envelope(_patch(auth_client, entry, {"tags": []}), 200)["data"]
    assert data["tags"] == [] and not HistoryEntryTag.objects.filter(entry=entry).exists()


def test_tag_names_match_whatever_their_case_and_repeats_count_once(auth_client):
    first = HistoryEntryFactory(user=auth_client.user)
    second = HistoryEntryFactory(user=auth_client.user)
    _patch(auth_client, first, {"tags": ["Exercise"]})

    data = assert_envelope(_patch(auth_client, second, {"tags": ["EXERCISE", "exercise", " exercise  "]}), 200)["data"]

    assert data["tags"] == ["Exercise"]  # the user's existing tag, first spelling kept
    assert Tag.objects.filter(user=auth_client.user).count() == 1


def test_each_person_has_their_own_tags(auth_client, other_user):
    theirs = HistoryEntryFactory(user=other_user)
    HistoryEntryTag.objects.create(entry=theirs, tag=Tag.objects.create(user=other_user, name="work"))
    mine = HistoryEntryFactory(user=auth_client.user)

    assert_envelope(_patch(auth_client, mine, {"tags": ["work"]}), 200)

    assert Tag.objects.filter(name="work").count() == 2
    assert Tag.objects.get(user=auth_client.user).entries.get() == mine


def test_only_the_fields_sent_change(auth_client):
    entry = HistoryEntryFactory(user=auth_client.user)
    _patch(auth_client, entry, {"note": "tired", "tags": ["sleep"]})

    data = assert_envelope(_patch(auth_client, entry, {"note": ""}), 200)["data"]

    assert (data["note"], data["tags"]) == ("", ["sleep"])
    data = assert_envelope(_patch(auth_client, entry, {"tags": ["work"]}), 200)["data"]
    assert (data["note"], data["tags"]) == ("", ["work"])


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"note": "x" * 501}, "note", "note: Ensure this field has no more than 500 characters."),
    ({"note": 42}, "note", "note: must be a string"),
    ({"tags": "work"}, "tags", 'tags: Expected a list of items but got type "str".'),
    ({"tags": ["a, b"]}, "tags", "tags: a tag is 1 to 30 characters: letters, digits, spaces, - _ ' &, "
                                 "starting with a letter or digit"),
    ({"tags": ["-dash"]}, "tags", None),
    ({"tags": [""]}, "tags", None),
    ({"tags": ["x" * 31]}, "tags", None),
    ({"tags": [f"t{i}" for i in range(11)]}, "tags", None),
    ({}, "non_field_errors", "nothing to change: send mood, note and/or tags"),
])
def test_bad_input_is_a_400_that_changes_nothing(auth_client, body, field, message):
    entry = HistoryEntryFactory(user=auth_client.user, note="kept")

    response = assert_envelope(_patch(auth_client, entry, body), 400, message)

    assert field in response["errors"]
    entry.refresh_from_db()
    assert entry.note == "kept" and not Tag.objects.exists()


def test_eleven_different_tags_are_too_many_even_in_different_cases(auth_client):
    entry = HistoryEntryFactory(user=auth_client.user)
    tags = [f"tag{i}" for i in range(10)]

    assert_envelope(_patch(auth_client, entry, {"tags": [*tags, "TAG0"]}), 200)  # ten names, one twice
    assert_envelope(_patch(auth_client, entry, {"tags": [*tags, "tag10"]}), 400, "at most 10 tags on an entry")


def test_another_persons_entry_is_a_404_and_stays_as_it_is(auth_client, other_user):
    theirs = HistoryEntryFactory(user=other_user, note="theirs")

    assert_envelope(_patch(auth_client, theirs, {"note": "mine now", "tags": ["work"]}), 404, "history entry not found")

    theirs.refresh_from_db()
    assert theirs.note == "theirs" and not Tag.objects.exists()


def test_put_is_not_offered(auth_client):
    entry = HistoryEntryFactory(user=auth_client.user)
    assert_envelope(auth_client.put(f"{API}history/{entry.uuid}", {"note": "x"}, format="json"), 405)


def test_without_a_token_it_is_a_401(api_client):
    entry = HistoryEntryFactory()
    assert_envelope(_patch(api_client, entry, {"note": "x"}), 401)
    assert HistoryEntry.objects.get().note == ""
