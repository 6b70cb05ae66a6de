"""GET history/stats?days=N: counts per mood and one point per day (zeros included) for charts,
dates in settings.TIME_ZONE."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db
URL = API + "history/stats"
MOODS = ("happy", "sad", "angry", "neutral")


def _stats(client, **params):
    return assert_envelope(client.get(URL, params), 200, "success", notify=False)["data"]


def test_the_default_window_is_30_days_ending_today(auth_client, other_user):
    user = auth_client.user
    now = timezone.now()
    today = timezone.localdate()
    for days_ago, mood in [(0, "happy"), (0, "happy"), (0, "sad"), (3, "angry"), (29, "neutral"),
                           (30, "happy"), (200, "sad")]:  # the last two are outside the window
        HistoryEntryFactory(user=user, mood=mood, created_at=now - dt.timedelta(days=days_ago))
    HistoryEntryFactory(user=other_user, mood="angry", created_at=now)

    data = _stats(auth_client)

    assert (data["days"], data["from"], data["to"]) == (
        30, (today - dt.timedelta(days=29)).isoformat(), today.isoformat())
    assert data["counts"] == {"happy": 2, "sad": 1, "angry": 1, "neutral": 1}
    assert list(data["counts"]) == list(MOODS)
    assert data["total"] == 5
    series = data["series"]
    assert len(series) == 30
    assert [point["date"] for point in series] == [(today - dt.timedelta(days=29 - i)).isoformat() for i in range(30)]
    assert series[-1] == {"date": today.isoformat(), "happy": 2, "sad": 1, "angry": 0, "neutral": 0, "total": 3}
    assert series[-4] == {"date": (today - dt.timedelta(days=3)).isoformat(), "happy": 0, "sad": 0, "angry": 1,
                          "neutral": 0, "total": 1}
    assert series[0]["neutral"] == 1 and series[0]["total"] == 1
    empty_days = [point for point in series if point["total"] == 0]
    assert len(empty_days) == 27
    assert all(point[mood] == 0 for point in empty_days for mood in MOODS)


def test_a_shorter_window(auth_client):
    now = timezone.now()
    HistoryEntryFactory(user=auth_client.user, mood="sad", created_at=now)
    HistoryEntryFactory(user=auth_client.user, mood="sad", created_at=now - dt.timedelta(days=1))

    data = _stats(auth_client, days=1)

    assert data["days"] == 1 and len(data["series"]) == 1
    assert data["counts"] == {"happy": 0, "sad": 1, "angry": 0, "neutral": 0}
    assert _stats(auth_client, days=365)["counts"]["sad"] == 2


def test_without_history_every_day_is_zero(auth_client):
    data = _stats(auth_client, days=7)

    assert data["counts"] == dict.fromkeys(MOODS, 0) and data["total"] == 0
    assert len(data["series"]) == 7
    assert all(point["total"] == 0 for point in data["series"])


def test_days_follow_the_sites_time_zone(auth_client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # UTC+9, no daylight saving time
    tokyo = timezone.get_default_timezone()
    today = timezone.localdate(timezone=tokyo)
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=tokyo)
    HistoryEntryFactory(user=auth_client.user, mood="happy", created_at=midnight + dt.timedelta(minutes=1))
    HistoryEntryFactory(user=auth_client.user, mood="angry", created_at=midnight - dt.timedelta(minutes=1))

    series = _stats(auth_client, days=2)["series"]

    assert series[-1]["date"] == today.isoformat()
    assert (series[-1]["happy"], series[-1]["angry"]) == (1, 0)
    assert (series[-2]["happy"], series[-2]["angry"]) == (0, 1)


@pytest.mark.parametrize("days", ["0", "366", "-3", "abc", "7.5", "", "1e2"])
def test_bad_days_are_a_400(auth_client, days):
    body = assert_envelope(auth_client.get(URL, {"days": days}), 400, notify=True)
    assert list(body["errors"]) == ["days"]


def test_it_needs_authentication(api_client):
    assert_envelope(api_client.get(URL), 401)
