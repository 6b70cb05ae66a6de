"""The daily reminder is opt-in: off by default, switched on with a local time through PUT user
(the profile page: tests/web/test_pages_reminders.py), and scheduled at that time in the person's
time zone (accounts.reminders)."""

import datetime as dt

import pytest

from accounts.reminders import reminder_next_due
from tests.accounts.support import API, assert_envelope
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc


def test_reminders_are_off_until_asked_for(auth_client):
    data = assert_envelope(auth_client.get(f"{API}user"), 200)["data"]
    assert (data["reminder_enabled"], data["reminder_time"]) == (False, None)
    assert auth_client.user.reminder_due_at is None


def test_switching_the_reminder_on_schedules_it_at_the_local_time(auth_client):
    body = {"reminder_enabled": True, "reminder_time": "20:30", "time_zone": "Asia/Jakarta"}

    data = assert_envelope(auth_client.put(f"{API}user", body, format="json"), 200)["data"]

    assert (data["reminder_enabled"], data["reminder_time"], data["time_zone"]) == (True, "20:30", "Asia/Jakarta")
    user = auth_client.user
    user.refresh_from_db()
    due = user.reminder_due_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert (due.hour, due.minute) == (20, 30)
    assert dt.timedelta(0) < user.reminder_due_at - dt.datetime.now(UTC) <= dt.timedelta(days=1)


def test_switching_it_on_needs_a_time(auth_client):
    body = assert_envelope(auth_client.put(f"{API}user", {"reminder_enabled": True}, format="json"), 400,
                           "choose a time for the reminder")
    assert "reminder_time" in body["errors"]
    auth_client.user.refresh_from_db()
    assert auth_client.user.reminder_enabled is False


@pytest.mark.parametrize("value", ["25:00", "8pm", "", 2030])
def test_a_time_that_is_not_hh_mm_is_a_400(auth_client, value):
    body = assert_envelope(auth_client.put(f"{API}user", {"reminder_time": value}, format="json"), 400)
    assert "reminder_time" in body["errors"]


def test_switching_it_off_unschedules_it(auth_client):
    auth_client.put(f"{API}user", {"reminder_enabled": True, "reminder_time": "08:00"}, format="json")

    data = assert_envelope(auth_client.put(f"{API}user", {"reminder_enabled": False}, format="json"), 200)["data"]

    assert (data["reminder_enabled"], data["reminder_time"]) == (False, "08:00")  # the time is kept for next time
    auth_client.user.refresh_from_db()
    assert auth_client.user.reminder_due_at is None


def _user(**fields):
    return UserFactory(reminder_enabled=True, reminder_time=dt.time(20, 0), time_zone="Europe/Paris", **fields)


def test_the_next_reminder_is_today_while_its_time_is_ahead_else_tomorrow():
    user = _user()
    morning = dt.datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    evening = dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 21:00 in Paris

    assert reminder_next_due(user=user, now=morning) == dt.datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    assert reminder_next_due(user=user, now=evening) == dt.datetime(2026, 11, 25, 19, 0, tzinfo=UTC)


def test_a_day_that_had_its_reminder_gets_no_second_one():
    user = _user(reminder_last_on=dt.date(2026, 11, 24))  # reminded at 09:00 this morning...
    user.reminder_time = dt.time(21, 0)                     # ...then moved the reminder to the evening

    due = reminder_next_due(user=user, now=dt.datetime(2026, 11, 24, 12, 0, tzinfo=UTC))

    assert due == dt.datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # tomorrow


def test_daylight_saving_time_keeps_the_local_hour():
    user = _user()
    before = reminder_next_due(user=user, now=dt.datetime(2026, 3, 28, 12, 0, tzinfo=UTC))  # CET, UTC+1
    after = reminder_next_due(user=user, now=dt.datetime(2026, 3, 29, 12, 0, tzinfo=UTC))  # CEST, UTC+2
    assert (before.hour, after.hour) == (19, 18)  # 20:00 in Paris both days
