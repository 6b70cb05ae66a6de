"""Email through a real SMTP server on 127.0.0.1 (aiosmtpd), and what happens when it is down."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from accounts import keys
from accounts.selectors import otp_pending
from tests.accounts.factories import UnverifiedUserFactory
from tests.accounts.support import API, assert_envelope, otp_in
from tests.stubs.smtp import SMTPStub, free_port

pytestmark = pytest.mark.django_db

SEND_FAILED = "could not send the email, please try again later"


def test_send_otp_goes_through_smtp_as_text_and_html(api_client, smtp_stub, settings):
    user = UnverifiedUserFactory()

    assert_envelope(api_client.post(API + "send-otp", {"email": user.email}, format="json"), 200,
                    "OTP sent successfully!")

    [mail] = smtp_stub.messages
    assert mail.rcpt_tos == [user.email]
    assert mail.message["To"] == user.email and mail.message["From"] == settings.DEFAULT_FROM_EMAIL
    assert mail.subject == "Your Vexora verification code"
    code = otp_in(mail.text)
    assert code in mail.html and "<p" in mail.html
    assert_envelope(api_client.post(API + "verify-email", {"email": user.email, "otp": code}, format="json"), 200)


def test_register_mails_the_code_through_smtp(api_client, smtp_stub):
    body = {"name": "Ann", "email": "ann@example.com", "username": "ann_k", "password": "Blue-Falcon-93"}

    assert_envelope(api_client.post(API + "register", body, format="json"), 200, "register success!")

    [mail] = smtp_stub.messages
    assert mail.rcpt_tos == ["ann@example.com"]
    assert otp_pending(email="ann@example.com", purpose="verify-email")


def test_smtp_down_answers_like_an_unknown_address_and_leaves_no_code_nor_cooldown(api_client, smtp_down):
    user = UnverifiedUserFactory()

    registered = api_client.post(API + "send-otp", {"email": user.email}, format="json")
    unknown = api_client.post(API + "send-otp", {"email": "nobody@example.com"}, format="json")

    for response in (registered, unknown):  # the answer never tells whether an account exists
        assert_envelope(response, 200, "OTP sent successfully!", notify=True, data=None)
    assert not otp_pending(email=user.email, purpose="verify-email")
    assert cache.get(keys.otp_cooldown(user.email)) is None


def test_after_an_smtp_failure_the_user_can_retry_at_once(api_client, settings):
    user = UnverifiedUserFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    assert_envelope(api_client.post(API + "send-otp", {"email": user.email}, format="json"), 200)
    assert not otp_pending(email=user.email, purpose="verify-email")

    stub = SMTPStub().start()
    try:
        settings.EMAIL_PORT = stub.port
        assert_envelope(api_client.post(API + "send-otp", {"email": user.email}, format="json"), 200)
    finally:
        stub.close()
    assert len(stub.messages) == 1
    assert otp_pending(email=user.email, purpose="verify-email")


def test_register_with_smtp_down_creates_nothing(api_client, smtp_down):
    body = {"name": "Ann", "email": "ann@example.com", "username": "ann_k", "password": "Blue-Falcon-93"}

    assert_envelope(api_client.post(API + "register", body, format="json"), 502, SEND_FAILED)

    assert not get_user_model().objects.exists()
    assert not otp_pending(email="ann@example.com", purpose="verify-email")


def test_an_email_change_with_smtp_down_changes_nothing(auth_client, smtp_down):
    before = auth_client.user.email

    assert_envelope(auth_client.put(API + "user", {"email": "new@example.com"}, format="json"), 502, SEND_FAILED)

    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert user.email == before and user.email_verified
    assert not otp_pending(email="new@example.com", purpose="verify-email")
