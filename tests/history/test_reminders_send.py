"""Sending the daily reminders: the scheduled task and the management command send each due
reminder once, to the right people at their local time, gently (not on a day they already checked
in, not hours late), with a one-click unsubscribe (history.reminders)."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.reminders import reminder_schedule
from history.reminders import REMINDER_LATE_MINUTES, reminder_handle, reminders_send_due
from history.tasks import reminders_send
from tests.factories import UserFactory
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
EVENING = dt.datetime(2026, 11, 24, 19, 5, tzinfo=UTC)  # 20:05 in Paris


def opted_in(*, time=dt.time(20, 0), zone="Europe/Paris", scheduled_at=dt.datetime(2026, 11, 24, 8, tzinfo=UTC),
             **fields):
    user = UserFactory(reminder_enabled=True, reminder_time=time, time_zone=zone, **fields)
    reminder_schedule(user=user, now=scheduled_at)
    user.save()
    return user


def test_a_due_reminder_is_sent_once(settings):
    settings.SITE_URL = "https://vexora.example"
    user = opted_in()

    assert reminders_send_due(now=EVENING)["sent"] == 1
    assert reminders_send_due(now=EVENING + dt.timedelta(minutes=5))["sent"] == 0  # the next run: nothing twice

    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "daily reminder you asked for, at 20:00" in message.body
    assert "https://vexora.example/scan/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"<(https://vexora\.example/reminders/unsubscribe/[^>]+/)>", message.extra_headers["List-Unsubscribe"])
    assert link and link.group(1) in message.body
    user.refresh_from_db()
    assert user.reminder_last_on == dt.date(2026, 11, 24)
    assert user.reminder_due_at == dt.datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # tomorrow, 20:00 in Paris


def test_nothing_is_sent_before_the_local_time():
    opted_in(zone="America/New_York")  # 20:00 there is 01:00 UTC the next day
    assert reminders_send_due(now=EVENING)["sent"] == 0
    assert reminders_send_due(now=dt.datetime(2026, 11, 25, 1, 1, tzinfo=UTC))["sent"] == 1


def test_a_person_who_already_checked_in_today_gets_no_reminder():
    user = opted_in()
    HistoryEntryFactory(user=user, created_at=dt.datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # 08:00 in Paris

    outcomes = reminders_send_due(now=EVENING)

    assert (outcomes["checked_in"], outcomes["sent"], len(mail.outbox)) == (1, 0, 0)
    user.refresh_from_db()
    assert user.reminder_due_at.date() == dt.date(2026, 11, 25)  # handled for today


def test_a_reminder_hours_late_is_skipped_rather_than_sent_at_night():
    opted_in()
    late = dt.datetime(2026, 11, 24, 19, 0, tzinfo=UTC) + dt.timedelta(minutes=REMINDER_LATE_MINUTES + 1)
    assert reminders_send_due(now=late)["late"] == 1 and not mail.outbox


def test_no_reminder_to_an_unverified_address_or_an_inactive_account():
    opted_in(email_verified=False)
    opted_in(is_active=False)
    outcomes = reminders_send_due(now=EVENING)
    assert outcomes["not_verified"] == 1 and outcomes["sent"] == 0 and not mail.outbox


def test_people_who_did_not_opt_in_get_nothing():
    UserFactory(reminder_time=dt.time(20, 0), time_zone="Europe/Paris")  # a time, but never switched on
    assert reminders_send_due(now=EVENING) == dict.fromkeys(
        ("sent", "checked_in", "late", "not_verified", "taken", "failed"), 0)


def test_a_mail_server_fault_gives_the_reminder_back_for_the_next_run(smtp_down):
    user = opted_in()

    assert reminders_send_due(now=EVENING)["failed"] == 1

    user.refresh_from_db()
    assert user.reminder_due_at == dt.datetime(2026, 11, 24, 19, 0, tzinfo=UTC) and user.reminder_last_on is None


def test_two_runs_at_once_send_a_reminder_once():
    user = opted_in()
    stale = type(user).objects.get(pk=user.pk)  # what a second, parallel run read before the first claimed it

    assert reminders_send_due(now=EVENING)["sent"] == 1
    assert reminder_handle(user=stale, now=EVENING) == "taken"
    assert len(mail.outbox) == 1


def test_the_scheduled_task_sends_what_is_due():
    now = dt.datetime.now(UTC)
    first = UserFactory(reminder_enabled=True, reminder_time=dt.time(0, 0), reminder_due_at=now - dt.timedelta(minutes=1))
    second = UserFactory(reminder_enabled=True, reminder_time=dt.time(0, 0), reminder_due_at=now - dt.timedelta(minutes=2))

    assert reminders_send.delay().get()["sent"] == 2  # no broker in tests: the task runs here
    assert reminders_send.delay().get()["sent"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


def test_the_command_reports_what_it_did():
    UserFactory(reminder_enabled=True, reminder_time=dt.time(0, 0),
                reminder_due_at=dt.datetime.now(UTC) - dt.timedelta(minutes=1))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "1 sent, 0 checked in, 0 late, 0 not verified, 0 taken, 0 failed"
    assert len(mail.outbox) == 1


def test_celery_beat_runs_the_task_every_five_minutes(settings):
    assert settings.CELERY_BEAT_SCHEDULE["send-reminders"] == {"task": reminders_send.name, "schedule": 300.0}
    assert reminders_send.name == "history.tasks.reminders_send"
