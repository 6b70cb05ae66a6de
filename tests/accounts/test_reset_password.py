"""POST /api/v1/reset-password: a reset code sets a new password and ends every session."""

import pytest
from rest_framework.test import APIClient

from accounts.selectors import otp_pending
from accounts.services import otp_issue
from tests.accounts.factories import UnverifiedUserFactory, session_client
from tests.accounts.support import API, assert_envelope, otp_mailed_to
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

URL = API + "reset-password"
INVALID = "invalid or expired OTP"
NEW_PASSWORD = "Purple-Otter-58"


def _code_for(user, mailoutbox, purpose="reset-password"):
    otp_issue(email=user.email, purpose=purpose)
    return otp_mailed_to(mailoutbox, user.email)


def _reset(client, email, otp, new_password=NEW_PASSWORD):
    return client.post(URL, {"email": email, "otp": otp, "new_password": new_password}, format="json")


def _login(client, user, password):
    return client.post(API + "login", {"username": user.username, "password": password}, format="json")


def test_reset_sets_the_new_password_and_ends_every_session(api_client, user, mailoutbox):
    session = session_client(user)
    code = _code_for(user, mailoutbox)

    assert_envelope(_reset(api_client, user.email, code), 200, "password reset success!", notify=True, data=None)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.sessions_revoked_at is not None and user.sessions_kept_sid == ""
    assert not otp_pending(email=user.email, purpose="reset-password")
    assert_envelope(session.get(API + "user"), 401, "session has ended, please log in again")
    refreshed = APIClient().post(API + "refresh", {"refresh_token": session.tokens["refresh_token"]}, format="json")
    assert_envelope(refreshed, 401, "invalid or expired refresh token")
    assert_envelope(_login(api_client, user, DEFAULT_PASSWORD), 401, "invalid username or password")
    tokens = assert_envelope(_login(api_client, user, NEW_PASSWORD), 200)["data"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert_envelope(api_client.get(API + "user"), 200)  # a session begun right after the reset works


def test_the_code_works_once(api_client, user, mailoutbox):
    code = _code_for(user, mailoutbox)
    _reset(api_client, user.email, code)

    assert_envelope(_reset(api_client, user.email, code, "Another-Otter-59"), 400, INVALID)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_also_verifies_the_email(api_client, mailoutbox):
    user = UnverifiedUserFactory()
    code = _code_for(user, mailoutbox)

    assert_envelope(_reset(api_client, user.email, code), 200)

    user.refresh_from_db()
    assert user.email_verified


def test_a_weak_password_is_refused_and_the_code_stays_usable(api_client, user, mailoutbox):
    code = _code_for(user, mailoutbox)

    body = assert_envelope(_reset(api_client, user.email, code, "123"), 400, notify=True)

    assert list(body["errors"]) == ["new_password"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert_envelope(_reset(api_client, user.email, code), 200)


def test_a_password_like_the_username_is_refused(api_client, mailoutbox):
    user = UnverifiedUserFactory(username="marguerite_k")
    code = _code_for(user, mailoutbox)

    assert "new_password" in assert_envelope(_reset(api_client, user.email, code, "marguerite_k1"), 400)["errors"]


@pytest.mark.parametrize("case", ["wrong-code", "verify-email-code", "other-address", "unknown-address"])
def test_a_code_that_does_not_belong_is_refused(api_client, user, mailoutbox, case):
    other = UnverifiedUserFactory()
    if case == "wrong-code":
        code = _code_for(user, mailoutbox)
        email, otp = user.email, f"{(int(code) + 1) % 10**6:06d}"
    elif case == "verify-email-code":
        email, otp = other.email, _code_for(other, mailoutbox, purpose="verify-email")
    elif case == "other-address":
        email, otp = user.email, _code_for(other, mailoutbox)
    else:
        email, otp = "ghost@example.com", "123456"

    assert_envelope(_reset(api_client, email, otp), 400, INVALID, notify=True, data=None)

    for account in (user, other):
        account.refresh_from_db()
        assert account.check_password(DEFAULT_PASSWORD)
        assert account.sessions_revoked_at is None


def test_the_code_is_burnt_after_the_allowed_wrong_attempts(api_client, user, settings, mailoutbox):
    code = _code_for(user, mailoutbox)
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        _reset(api_client, user.email, f"{(int(code) + 1) % 10**6:06d}")

    assert_envelope(_reset(api_client, user.email, code), 400, INVALID)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_missing_fields_are_a_400(api_client):
    body = assert_envelope(api_client.post(URL, {}, format="json"), 400)

    assert set(body["errors"]) == {"email", "otp", "new_password"}
