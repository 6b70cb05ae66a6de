"""Reminders on the pages: switched on and off on the profile page, and stopped from the e-mail
with one click, no login needed (a signed link; mail clients' own unsubscribe button posts to it)."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from accounts.reminders import reminder_unsubscribe_token
from history.reminders import reminders_send_due
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_profile_page_switches_the_reminder_on_at_a_local_time(signed_in):
    response = signed_in.post("/profile/preferences/", {"time_zone": "Europe/Paris", "reminder_enabled": "on",
                                                        "reminder_time": "07:45"})

    assert response.status_code == 302
    user = signed_in.user
    user.refresh_from_db()
    assert (user.reminder_enabled, user.reminder_time, user.time_zone) == (True, dt.time(7, 45), "Europe/Paris")
    assert user.reminder_due_at is not None
    assert "daily reminder on at 07:45" in signed_in.get("/profile/").content.decode()


def test_switching_it_on_without_a_time_shows_the_error_next_to_the_field(signed_in):
    response = signed_in.post("/profile/preferences/", {"reminder_enabled": "on", "reminder_time": ""})

    assert response.status_code == 400
    assert response.context["preferences_form"].errors["reminder_time"] == ["Choose a time for the reminder."]
    signed_in.user.refresh_from_db()
    assert signed_in.user.reminder_enabled is False


def _opted_in():
    return UserFactory(reminder_enabled=True, reminder_time=dt.time(20, 0),
                       reminder_due_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1))


def test_the_link_in_the_mail_stops_the_reminders_without_a_login(settings):
    settings.SITE_URL = ""
    user = _opted_in()
    reminders_send_due()
    link = next(line.split(": ", 1)[1] for line in mail.outbox[0].body.splitlines() if "/reminders/unsubscribe/" in line)
    browser = Client(enforce_csrf_checks=True)  # nobody signed in

    page = browser.get(link)
    assert page.status_code == 200 and "Stop reminders" in page.content.decode()
    user.refresh_from_db()
    assert user.reminder_enabled is True  # opening the link (or a mail scanner fetching it) changes nothing

    done = browser.post(link)
    assert done.status_code == 200 and "Reminders are off" in done.content.decode()
    user.refresh_from_db()
    assert (user.reminder_enabled, user.reminder_due_at) == (False, None)
    assert "already off" in browser.get(link).content.decode()


def test_a_mail_clients_one_click_post_works_too():
    user = _opted_in()
    url = f"/reminders/unsubscribe/{reminder_unsubscribe_token(user=user)}/"

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.reminder_enabled is False
    assert reminders_send_due()["sent"] == 0 and not mail.outbox


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoiMTIzIn0:1abc:forged"])
def test_a_forged_link_changes_nothing(client, token):
    user = _opted_in()
    for method in (client.get, client.post):
        response = method(f"/reminders/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid." in response.content.decode()
    user.refresh_from_db()
    assert user.reminder_enabled is True


def test_a_token_from_one_person_never_touches_another():
    user, other = _opted_in(), _opted_in()
    Client().post(f"/reminders/unsubscribe/{reminder_unsubscribe_token(user=user)}/")
    user.refresh_from_db(), other.refresh_from_db()
    assert (user.reminder_enabled, other.reminder_enabled) == (False, True)
