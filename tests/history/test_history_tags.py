"""GET history/tags: the tags a person can pick (the six defaults, then their own) and how often
they used each."""

import pytest

from history.services import history_entry_update
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db

DEFAULTS = ["sleep", "work", "family", "friends", "exercise", "weather"]


def test_a_new_person_is_offered_the_default_tags(auth_client):
    data = assert_envelope(auth_client.get(f"{API}history/tags"), 200, "success")["data"]
    assert data == [{"name": name, "default": True, "entries": 0} for name in DEFAULTS]


def test_own_tags_follow_the_defaults_with_their_use(auth_client, other_user):
    user = auth_client.user
    history_entry_update(entry=HistoryEntryFactory(user=user), tags=["Work", "rain"])
    history_entry_update(entry=HistoryEntryFactory(user=user), tags=["work", "Allotment"])
    history_entry_update(entry=HistoryEntryFactory(user=other_user), tags=["secret"])

    data = assert_envelope(auth_client.get(f"{API}history/tags"), 200)["data"]

    assert [tag["name"] for tag in data] == [*(n if n != "work" else "Work" for n in DEFAULTS), "Allotment", "rain"]
    assert {tag["name"]: tag["entries"] for tag in data if tag["entries"]} == {"Work": 2, "rain": 1, "Allotment": 1}
    assert [tag["default"] for tag in data][-2:] == [False, False]


def test_entries_can_be_listed_by_tag(auth_client):
    user = auth_client.user
    tagged = HistoryEntryFactory(user=user)
    history_entry_update(entry=tagged, tags=["Exercise"])
    HistoryEntryFactory(user=user)

    data = assert_envelope(auth_client.get(f"{API}history", {"tag": "exercise"}), 200)["data"]

    assert [item["uuid"] for item in data] == [str(tagged.uuid)]
    assert assert_envelope(auth_client.get(f"{API}history", {"tag": "nothing"}), 200)["data"] == []
