"""GET history: the caller's entries, newest first, paginated, filterable by mood and month."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import HistoryEntryFactory, entry_with_tracks

pytestmark = pytest.mark.django_db
URL = API + "history"
ITEM_FIELDS = {"uuid", "user_id", "mood", "detected_mood", "corrected_mood", "confidence", "created_at", "track_count",
               "note", "tags"}


def _ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


def test_the_callers_entries_newest_first(auth_client, other_user):
    user = auth_client.user
    old = entry_with_tracks(user=user, mood="sad", confidence=0.6, tracks=2, created_at=_ago(days=2))
    new = entry_with_tracks(user=user, mood="happy", confidence=0.9, tracks=10, created_at=_ago(hours=1))
    entry_with_tracks(user=other_user, tracks=1)

    body = assert_envelope(auth_client.get(URL), 200, "history retrieved successfully!", notify=False)

    assert [item["uuid"] for item in body["data"]] == [str(new.uuid), str(old.uuid)]
    item = body["data"][0]
    assert set(item) == ITEM_FIELDS
    assert item["user_id"] == str(user.uuid)  # the public uuid, never the internal id
    assert (item["mood"], item["confidence"], item["track_count"]) == ("happy", 0.9, 10)
    assert body["data"][1]["track_count"] == 2
    assert body["meta"] == {"page": 1, "page_size": 20, "total": 2, "pages": 1}


def test_pages(auth_client):
    entries = [HistoryEntryFactory(user=auth_client.user, created_at=_ago(minutes=i)) for i in range(5)]

    first = assert_envelope(auth_client.get(URL, {"page_size": 2}), 200)
    last = assert_envelope(auth_client.get(URL, {"page_size": 2, "page": 3}), 200)

    assert [item["uuid"] for item in first["data"]] == [str(e.uuid) for e in entries[:2]]
    assert first["meta"] == {"page": 1, "page_size": 2, "total": 5, "pages": 3}
    assert [item["uuid"] for item in last["data"]] == [str(entries[4].uuid)]
    assert last["meta"]["page"] == 3
    assert_envelope(auth_client.get(URL, {"page_size": 2, "page": 4}), 404)


def test_no_history_is_an_empty_list(auth_client, other_user):
    HistoryEntryFactory(user=other_user)

    body = assert_envelope(auth_client.get(URL), 200, "history retrieved successfully!")

    assert body["data"] == [] and body["meta"]["total"] == 0


def test_filter_by_mood(auth_client):
    user = auth_client.user
    sad = [HistoryEntryFactory(user=user, mood="sad", created_at=_ago(minutes=i)) for i in range(2)]
    HistoryEntryFactory(user=user, mood="happy")

    body = assert_envelope(auth_client.get(URL, {"mood": "sad"}), 200)

    assert [item["uuid"] for item in body["data"]] == [str(e.uuid) for e in sad]
    assert body["meta"]["total"] == 2
    assert len(assert_envelope(auth_client.get(URL, {"mood": "Sad"}), 200)["data"]) == 2
    assert assert_envelope(auth_client.get(URL, {"mood": "angry"}), 200)["data"] == []


def test_filter_by_month_in_the_sites_time_zone(auth_client, settings):
    settings.TIME_ZONE = "America/New_York"  # UTC-5 in November, UTC-4 in October
    user = auth_client.user
    utc = dt.timezone.utc
    # 1 Nov 2026 02:00 UTC is still 31 Oct in New York; 1 Dec 2026 04:59 UTC still 30 Nov.
    october = HistoryEntryFactory(user=user, created_at=dt.datetime(2026, 11, 1, 2, 0, tzinfo=utc))
    november = [HistoryEntryFactory(user=user, created_at=dt.datetime(2026, 11, 1, 5, 0, tzinfo=utc)),
                HistoryEntryFactory(user=user, created_at=dt.datetime(2026, 12, 1, 4, 59, tzinfo=utc))]
    december = HistoryEntryFactory(user=user, created_at=dt.datetime(2026, 12, 1, 5, 0, tzinfo=utc))

    def month(value):
        return [item["uuid"] for item in assert_envelope(auth_client.get(URL, {"month": value}), 200)["data"]]

    assert month("2026-11") == [str(november[1].uuid), str(november[0].uuid)]
    assert month("2026-10") == [str(october.uuid)]
    assert month("2026-12") == [str(december.uuid)]
    assert month("2025-11") == []


def test_mood_and_month_together(auth_client):
    user = auth_client.user
    now = timezone.localtime()
    wanted = HistoryEntryFactory(user=user, mood="angry")
    HistoryEntryFactory(user=user, mood="happy")

    body = assert_envelope(auth_client.get(URL, {"mood": "angry", "month": f"{now:%Y-%m}"}), 200)

    assert [item["uuid"] for item in body["data"]] == [str(wanted.uuid)]


@pytest.mark.parametrize("params, field", [
    ({"mood": "excited"}, "mood"),
    ({"mood": "happy;drop"}, "mood"),
    ({"month": "2026-13"}, "month"),
    ({"month": "2026-00"}, "month"),
    ({"month": "2026-1"}, "month"),
    ({"month": "November"}, "month"),
    ({"month": "2026-11-01"}, "month"),
    ({"month": "0000-01"}, "month"),
])
def test_bad_filters_are_a_400_naming_the_parameter(auth_client, params, field):
    HistoryEntryFactory(user=auth_client.user)

    body = assert_envelope(auth_client.get(URL, params), 400, notify=True)

    assert list(body["errors"]) == [field]
    assert body["data"] is None


def test_it_needs_authentication(api_client):
    assert_envelope(api_client.get(URL), 401, "authentication required")


def test_a_random_uuid_segment_is_not_mistaken_for_the_list(auth_client):
    assert_envelope(auth_client.get(f"{URL}/{uuid.uuid4()}"), 404, "history entry not found")


def test_the_number_of_queries_does_not_grow_with_the_page(auth_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert_envelope(auth_client.get(URL), 200)
        return len(captured)

    entry_with_tracks(user=auth_client.user, tracks=2)
    one = queries()
    for _ in range(5):
        entry_with_tracks(user=auth_client.user, tracks=2)
    assert queries() == one
