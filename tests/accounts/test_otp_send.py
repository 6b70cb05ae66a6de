"""POST /api/v1/send-otp: a code by email, the same answer for every address, a resend cooldown."""

import time

import pytest
from django.core.cache import cache

from accounts import keys
from accounts.selectors import otp_pending
from tests.accounts.factories import InactiveUserFactory, UnverifiedUserFactory
from tests.accounts.support import API, assert_envelope, otp_mailed_to, otp_stored

pytestmark = pytest.mark.django_db

URL = API + "send-otp"
SENT = "OTP sent successfully!"


def _send(client, email, purpose=None):
    body = {"email": email} | ({"purpose": purpose} if purpose else {})
    return client.post(URL, body, format="json")


def test_an_unverified_account_gets_a_verification_code(api_client, mailoutbox):
    user = UnverifiedUserFactory()

    assert_envelope(_send(api_client, user.email), 200, SENT, notify=True, data=None)

    code = otp_mailed_to(mailoutbox, user.email)
    assert "verification" in mailoutbox[0].subject
    assert otp_pending(email=user.email, purpose="verify-email")
    assert not otp_pending(email=user.email, purpose="reset-password")
    assert otp_stored(user.email, "verify-email") != code  # kept hashed
    assert_envelope(api_client.post(API + "verify-email", {"email": user.email, "otp": code}), 200)


def test_a_verified_account_gets_a_password_reset_code(api_client, user, mailoutbox):
    assert_envelope(_send(api_client, user.email), 200, SENT)

    assert "reset" in mailoutbox[0].subject
    assert otp_pending(email=user.email, purpose="reset-password")
    assert not otp_pending(email=user.email, purpose="verify-email")


def test_an_explicit_purpose_is_honoured(api_client, mailoutbox):
    user = UnverifiedUserFactory()

    assert_envelope(_send(api_client, user.email, "reset-password"), 200, SENT)

    assert otp_pending(email=user.email, purpose="reset-password")
    assert not otp_pending(email=user.email, purpose="verify-email")


def test_a_verified_account_gets_no_verification_code_but_the_same_answer(api_client, user, mailoutbox):
    assert_envelope(_send(api_client, user.email, "verify-email"), 200, SENT)

    assert mailoutbox == []
    assert not otp_pending(email=user.email, purpose="verify-email")


@pytest.mark.parametrize("kind", ["unknown", "inactive"])
def test_unknown_or_inactive_addresses_get_the_same_answer_and_nothing_else(api_client, mailoutbox, kind):
    email = "ghost@example.com" if kind == "unknown" else InactiveUserFactory().email

    response = _send(api_client, email)

    assert_envelope(response, 200, SENT, notify=True, data=None)
    assert mailoutbox == []
    assert not any(otp_pending(email=email, purpose=p) for p in ("verify-email", "reset-password"))


@pytest.mark.parametrize("kind", ["known", "unknown"])
def test_a_second_request_within_the_cooldown_is_a_429_for_any_address(api_client, mailoutbox, kind):
    email = UnverifiedUserFactory().email if kind == "known" else "ghost@example.com"
    _send(api_client, email)

    response = _send(api_client, email.upper())

    body = assert_envelope(response, 429, notify=True)
    retry_after = body["data"]["retry_after"]
    assert 0 < retry_after <= 60
    assert body["message"] == f"please wait {retry_after} seconds before requesting another OTP"
    assert response["Retry-After"] == str(retry_after)
    assert len(mailoutbox) == (1 if kind == "known" else 0)


def test_after_the_cooldown_a_new_code_replaces_the_old_one(api_client, settings, mailoutbox):
    settings.OTP_RESEND_SECONDS = 1
    user = UnverifiedUserFactory()
    _send(api_client, user.email)
    first = otp_mailed_to(mailoutbox, user.email)
    time.sleep(1.1)

    assert_envelope(_send(api_client, user.email), 200, SENT)

    second = otp_mailed_to(mailoutbox, user.email)
    assert len(mailoutbox) == 2
    if first != second:  # one chance in a million they are equal
        assert_envelope(api_client.post(API + "verify-email", {"email": user.email, "otp": first}), 400)
    assert_envelope(api_client.post(API + "verify-email", {"email": user.email, "otp": second}), 200)


def test_using_a_code_ends_the_cooldown(api_client, mailoutbox):
    user = UnverifiedUserFactory()
    _send(api_client, user.email)
    api_client.post(API + "verify-email", {"email": user.email, "otp": otp_mailed_to(mailoutbox, user.email)})

    assert_envelope(_send(api_client, user.email), 200, SENT)  # e.g. a reset code right after verifying

    assert otp_pending(email=user.email, purpose="reset-password")


def test_the_cooldown_is_stored_per_address(api_client):
    user, other = UnverifiedUserFactory(), UnverifiedUserFactory()
    _send(api_client, user.email)

    assert cache.get(keys.otp_cooldown(user.email)) is not None
    assert_envelope(_send(api_client, other.email), 200, SENT)


@pytest.mark.parametrize(
    "body, field",
    [({"email": "not-an-email"}, "email"), ({}, "email"), ({"email": "a@example.com", "purpose": "login"}, "purpose")],
)
def test_invalid_input_is_a_400(api_client, body, field):
    assert field in assert_envelope(api_client.post(URL, body, format="json"), 400)["errors"]
