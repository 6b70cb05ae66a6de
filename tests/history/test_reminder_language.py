"""The daily reminder is written in its recipient's language (accounts.User.language): subject,
text and HTML in Bahasa Indonesia for "id" (the time as Indonesian writes it, "20.00"), English for
"en", whatever language the sending process happens to run in."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from history.reminders import reminder_email_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sent_to(language: str):
    user = UserFactory(reminder_enabled=True, reminder_time=dt.time(20, 0), language=language)
    with translation.override("en" if language == "id" else "id"):  # the sender's language does not matter
        reminder_email_send(user=user)
    (message,) = mail.outbox
    return message, message.alternatives[0][0]


def test_an_indonesian_speaker_gets_the_reminder_in_indonesian():
    message, html = sent_to("id")
    assert message.subject == "Check-in Vexora-mu, kalau kamu mau"
    assert "Ini pengingat harian yang kamu minta, pukul 20.00." in message.body
    assert "Hentikan pengingat ini dengan satu klik" in message.body
    assert "Check-in dengan selfie" in html and '<html lang="id">' in html
    assert "daily reminder" not in message.body and "Check in with a selfie" not in html


def test_an_english_speaker_gets_the_reminder_in_english():
    message, html = sent_to("en")
    assert message.subject == "Your Vexora check-in, if you feel like it"
    assert "This is the daily reminder you asked for, at 20:00." in message.body
    assert "Check in with a selfie" in html and '<html lang="en">' in html
    assert "pengingat" not in message.body
