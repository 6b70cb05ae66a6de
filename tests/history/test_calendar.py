"""The calendar: every day of a month or a year in the person's own time zone, each summed up
honestly (its most frequent mood, a tie shown as mixed, the counts always given). GET
history/calendar and history.summaries.history_calendar."""

import datetime as dt
import pytest

from history.services import history_correct_mood
from history.summaries import history_calendar
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc


def at(user, when: str, mood: str):
    return HistoryEntryFactory(user=user, mood=mood, created_at=dt.datetime.fromisoformat(when))


def day(calendar, date: str) -> dict:
    return next(item for item in calendar["days"] if item["date"] == date)


def test_a_month_lists_every_day_with_its_most_frequent_mood(auth_client):
    user = auth_client.user
    for hour, mood in ((8, "happy"), (12, "sad"), (18, "happy")):
        at(user, f"2026-11-03T{hour:02d}:00:00+00:00", mood)
    at(user, "2026-11-04T09:00:00+00:00", "angry")
    at(user, "2026-10-31T09:00:00+00:00", "sad")  # another month

    data = assert_envelope(auth_client.get(f"{API}history/calendar", {"month": "2026-11"}), 200, "success")["data"]

    assert (data["view"], data["period"], data["from"], data["to"]) == ("month", "2026-11", "2026-11-01", "2026-11-30")
    assert (data["previous"], data["next"]) == ("2026-10", "2026-12")
    assert [item["date"] for item in data["days"]] == [f"2026-11-{n:02d}" for n in range(1, 31)]
    assert day(data, "2026-11-03") == {"date": "2026-11-03", "total": 3, "mood": "happy", "tied": [],
                                       "counts": {"happy": 2, "sad": 1, "angry": 0, "neutral": 0}}
    assert day(data, "2026-11-04")["mood"] == "angry"
    assert day(data, "2026-11-05") == {"date": "2026-11-05", "total": 0, "mood": None, "tied": [],
                                       "counts": {"happy": 0, "sad": 0, "angry": 0, "neutral": 0}}
    assert data["total"] == 4 and data["counts"] == {"happy": 2, "sad": 1, "angry": 1, "neutral": 0}
    assert data["moods"] == {"happy": 1, "sad": 0, "angry": 1, "neutral": 0, "mixed": 0}
    assert data["days_with_readings"] == 2


def test_a_tie_is_mixed_never_a_guess(auth_client):
    user = auth_client.user
    at(user, "2026-11-03T08:00:00+00:00", "happy")
    at(user, "2026-11-03T20:00:00+00:00", "sad")

    data = assert_envelope(auth_client.get(f"{API}history/calendar", {"month": "2026-11"}), 200)["data"]

    assert day(data, "2026-11-03")["mood"] == "mixed"
    assert day(data, "2026-11-03")["tied"] == ["happy", "sad"]
    assert data["moods"]["mixed"] == 1


def test_days_are_the_persons_local_days(auth_client):
    user = auth_client.user
    user.time_zone = "Asia/Tokyo"  # UTC+9
    user.save()
    at(user, "2026-11-03T16:30:00+00:00", "sad")  # 01:30 on the 4th in Tokyo

    data = assert_envelope(auth_client.get(f"{API}history/calendar", {"month": "2026-11"}), 200)["data"]

    assert data["time_zone"] == "Asia/Tokyo"
    assert day(data, "2026-11-03")["total"] == 0
    assert day(data, "2026-11-04")["mood"] == "sad"


def test_a_year_lists_its_365_or_366_days(auth_client):
    at(auth_client.user, "2024-02-29T12:00:00+00:00", "neutral")

    data = assert_envelope(auth_client.get(f"{API}history/calendar", {"year": "2024"}), 200)["data"]

    assert (data["view"], data["period"], data["previous"], data["next"]) == ("year", "2024", "2023", "2025")
    assert len(data["days"]) == 366 and day(data, "2024-02-29")["mood"] == "neutral"
    data = assert_envelope(auth_client.get(f"{API}history/calendar", {"year": "2026"}), 200)["data"]
    assert len(data["days"]) == 365 and data["total"] == 0


def test_without_parameters_it_is_this_month_in_the_persons_time_zone(user):
    user.time_zone = "Pacific/Kiritimati"  # UTC+14: already the 1st of December there
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    calendar = history_calendar(user=user, now=now)

    assert (calendar["period"], calendar["today"]) == ("2026-12", "2026-12-01")


def test_only_the_callers_entries_count(auth_client, other_user):
    at(other_user, "2026-11-03T08:00:00+00:00", "angry")
    data = assert_envelope(auth_client.get(f"{API}history/calendar", {"month": "2026-11"}), 200)["data"]
    assert data["total"] == 0


@pytest.mark.parametrize(("query", "message", "field"), [
    ({"month": "2026-13"}, "month must look like YYYY-MM", "month"),
    ({"month": "nov"}, "month must look like YYYY-MM", "month"),
    ({"year": "26"}, "year must look like YYYY", "year"),
    ({"year": "0000"}, "year must look like YYYY", "year"),
    ({"year": "２０２６"}, "year must look like YYYY", "year"),
    ({"month": "2026-11", "year": "2026"}, "give month=YYYY-MM or year=YYYY, not both", "month"),
])
def test_bad_parameters_are_a_400(auth_client, query, message, field):
    body = assert_envelope(auth_client.get(f"{API}history/calendar", query), 400, message)
    assert field in body["errors"]


def test_the_persons_correction_counts_not_the_models_reading(auth_client):
    user = auth_client.user
    HistoryEntryFactory(user=user, mood="sad", corrected_mood="happy",
                        created_at=dt.datetime(2026, 11, 4, 9, tzinfo=UTC))
    HistoryEntryFactory(user=user, mood="sad", corrected_mood="sad", created_at=dt.datetime(2026, 11, 5, 9, tzinfo=UTC))
    at(user, "2026-11-05T12:00:00+00:00", "angry")
    history_correct_mood(entry=at(user, "2026-11-05T18:00:00+00:00", "neutral"), mood="sad")

    data = assert_envelope(auth_client.get(f"{API}history/calendar", {"month": "2026-11"}), 200)["data"]

    assert (day(data, "2026-11-04")["mood"], day(data, "2026-11-04")["counts"]["happy"]) == ("happy", 1)
    assert (day(data, "2026-11-05")["mood"], day(data, "2026-11-05")["counts"]) == (
        "sad", {"happy": 0, "sad": 2, "angry": 1, "neutral": 0})
    assert data["counts"] == {"happy": 1, "sad": 2, "angry": 1, "neutral": 0}


def test_without_a_token_it_is_a_401(api_client):
    assert_envelope(api_client.get(f"{API}history/calendar"), 401)
