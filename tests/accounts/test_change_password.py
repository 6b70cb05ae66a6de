"""PUT /api/v1/user/change-password: knowing the current password; other sessions end."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.accounts.factories import session_client
from tests.accounts.support import API, assert_envelope
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

URL = API + "user/change-password"
NEW_PASSWORD = "Silver-Lantern-31"


def _change(client, previous=DEFAULT_PASSWORD, new=NEW_PASSWORD):
    return client.put(URL, {"previous_password": previous, "new_password": new}, format="json")


def _refresh(refresh_token):
    return APIClient().post(API + "refresh", {"refresh_token": refresh_token}, format="json")


def test_change_password_keeps_this_session_and_ends_the_others(auth_client):
    other = session_client(auth_client.user)

    assert_envelope(_change(auth_client), 200, "change password success!", notify=True, data=None)

    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert user.check_password(NEW_PASSWORD)
    assert user.sessions_revoked_at is not None
    assert user.sessions_kept_sid == RefreshToken(auth_client.tokens["refresh_token"])["sid"]
    assert_envelope(auth_client.get(API + "user"), 200)
    assert_envelope(other.get(API + "user"), 401, "session has ended, please log in again")
    assert_envelope(_refresh(other.tokens["refresh_token"]), 401, "invalid or expired refresh token")
    assert_envelope(_refresh(auth_client.tokens["refresh_token"]), 200)


def test_the_new_password_logs_in_and_the_old_one_does_not(auth_client, api_client):
    _change(auth_client)
    user = auth_client.user

    old = api_client.post(API + "login", {"username": user.username, "password": DEFAULT_PASSWORD}, format="json")
    new = api_client.post(API + "login", {"username": user.username, "password": NEW_PASSWORD}, format="json")

    assert_envelope(old, 401, "invalid username or password")
    assert_envelope(new, 200, "login success!")


def test_a_wrong_current_password_is_refused(auth_client):
    other = session_client(auth_client.user)

    assert_envelope(_change(auth_client, previous="Not-The-Password-1"), 400, "current password is incorrect",
                    notify=True, data=None)

    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert user.check_password(DEFAULT_PASSWORD) and user.sessions_revoked_at is None
    assert_envelope(other.get(API + "user"), 200)


@pytest.mark.parametrize("new", ["short", "password", "4829301746", "user_pw_1"])
def test_the_new_password_goes_through_the_validators(auth_client, new):
    if new == "user_pw_1":
        new = auth_client.user.username + "!"

    body = assert_envelope(_change(auth_client, new=new), 400, notify=True)

    assert list(body["errors"]) == ["new_password"]
    assert get_user_model().objects.get(pk=auth_client.user.pk).check_password(DEFAULT_PASSWORD)


def test_missing_fields_are_a_400(auth_client):
    body = assert_envelope(auth_client.put(URL, {}, format="json"), 400)

    assert set(body["errors"]) == {"previous_password", "new_password"}


def test_it_needs_authentication(api_client):
    assert_envelope(_change(api_client), 401, "authentication required")


def test_a_second_change_from_another_session_ends_the_first(auth_client):
    other = session_client(auth_client.user)
    _change(auth_client)
    other = session_client(auth_client.user)  # signs in again after the first change

    assert_envelope(_change(other, previous=NEW_PASSWORD, new="Golden-Lantern-32"), 200)

    assert_envelope(other.get(API + "user"), 200)
    assert_envelope(auth_client.get(API + "user"), 401)
