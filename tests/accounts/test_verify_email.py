"""POST /api/v1/verify-email: a single-use code, bound to its address and purpose, few attempts."""

import time

import pytest

from accounts.selectors import otp_pending
from accounts.services import otp_issue
from tests.accounts.factories import UnverifiedUserFactory
from tests.accounts.support import API, assert_envelope, otp_mailed_to

pytestmark = pytest.mark.django_db

URL = API + "verify-email"
INVALID = "invalid or expired OTP"


def _code_for(user, mailoutbox, purpose="verify-email"):
    otp_issue(email=user.email, purpose=purpose)
    return otp_mailed_to(mailoutbox, user.email)


def _verify(client, email, otp):
    return client.post(URL, {"email": email, "otp": otp}, format="json")


def _wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_code_verifies_the_email_once(api_client, mailoutbox):
    user = UnverifiedUserFactory()
    code = _code_for(user, mailoutbox)

    assert_envelope(_verify(api_client, user.email, code), 200, "email verification success!", notify=True, data=None)

    user.refresh_from_db()
    assert user.email_verified
    assert not otp_pending(email=user.email, purpose="verify-email")
    assert_envelope(_verify(api_client, user.email, code), 400, INVALID, notify=True, data=None)


def test_the_email_matches_whatever_its_case(api_client, mailoutbox):
    user = UnverifiedUserFactory(email="Mixed.Case@example.com")
    code = _code_for(user, mailoutbox)

    assert_envelope(_verify(api_client, "  MIXED.case@EXAMPLE.com ", code), 200)


def test_a_wrong_code_is_refused_and_the_right_one_still_works(api_client, mailoutbox):
    user = UnverifiedUserFactory()
    code = _code_for(user, mailoutbox)

    assert_envelope(_verify(api_client, user.email, _wrong(code)), 400, INVALID)
    user.refresh_from_db()
    assert not user.email_verified
    assert_envelope(_verify(api_client, user.email, code), 200)


def test_the_code_is_burnt_after_the_allowed_wrong_attempts(api_client, settings, mailoutbox):
    user = UnverifiedUserFactory()
    code = _code_for(user, mailoutbox)
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        assert_envelope(_verify(api_client, user.email, _wrong(code)), 400, INVALID)

    assert not otp_pending(email=user.email, purpose="verify-email")
    assert_envelope(_verify(api_client, user.email, code), 400, INVALID)
    user.refresh_from_db()
    assert not user.email_verified


def test_the_last_allowed_attempt_may_still_be_right(api_client, settings, mailoutbox):
    user = UnverifiedUserFactory()
    code = _code_for(user, mailoutbox)
    for _ in range(settings.OTP_MAX_ATTEMPTS - 1):
        _verify(api_client, user.email, _wrong(code))

    assert_envelope(_verify(api_client, user.email, code), 200)


def test_a_code_sent_to_one_address_never_verifies_another(api_client, mailoutbox):
    alice, bob = UnverifiedUserFactory(), UnverifiedUserFactory()
    alice_code = _code_for(alice, mailoutbox)
    _code_for(bob, mailoutbox)

    assert_envelope(_verify(api_client, bob.email, alice_code), 400, INVALID)
    bob.refresh_from_db()
    assert not bob.email_verified


def test_a_password_reset_code_does_not_verify_the_email(api_client, mailoutbox):
    user = UnverifiedUserFactory()
    code = _code_for(user, mailoutbox, purpose="reset-password")

    assert_envelope(_verify(api_client, user.email, code), 400, INVALID)
    assert otp_pending(email=user.email, purpose="reset-password")  # still usable for its purpose


def test_an_expired_code_is_refused(api_client, settings, mailoutbox):
    settings.OTP_TTL_SECONDS = 1
    user = UnverifiedUserFactory()
    code = _code_for(user, mailoutbox)
    time.sleep(1.1)

    assert_envelope(_verify(api_client, user.email, code), 400, INVALID)


def test_an_unknown_address_gets_the_same_answer(api_client):
    assert_envelope(_verify(api_client, "ghost@example.com", "123456"), 400, INVALID)


@pytest.mark.parametrize("otp", ["12345", "1234567", "abcdef", ""])
def test_a_malformed_code_is_a_validation_error(api_client, otp):
    assert "otp" in assert_envelope(_verify(api_client, "a@example.com", otp), 400)["errors"]
