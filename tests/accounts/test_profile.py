"""GET and PUT /api/v1/user: the signed-in user's profile."""

import pytest
from django.contrib.auth import get_user_model

from accounts.selectors import otp_pending
from accounts.services import token_pair_issue
from tests.accounts.support import API, USER_FIELDS, assert_envelope, bearer, otp_mailed_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = API + "user"


def test_get_user_answers_the_profile(auth_client):
    user = auth_client.user

    data = assert_envelope(auth_client.get(URL), 200, "get profile success!", notify=False)["data"]

    assert set(data) == USER_FIELDS
    assert data["uuid"] == str(user.uuid) and data["username"] == user.username and data["email"] == user.email
    assert data["name"] == user.name and data["email_verified"] is True


@pytest.mark.parametrize("method", ["get", "put"])
def test_the_profile_needs_a_valid_access_token(api_client, method):
    response = getattr(api_client, method)(URL, {}, format="json")

    assert_envelope(response, 401, "authentication required", notify=True, data=None)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer a.b.c"])
def test_a_bad_token_is_a_401(api_client, header):
    assert_envelope(api_client.get(URL, HTTP_AUTHORIZATION=header), 401)


def test_a_refresh_token_is_not_an_access_token(api_client, user):
    refresh_token = token_pair_issue(user=user)["refresh_token"]

    assert_envelope(api_client.get(URL, **bearer(refresh_token)), 401)


def test_a_token_of_an_inactive_user_is_refused(auth_client):
    auth_client.user.is_active = False
    auth_client.user.save()

    assert_envelope(auth_client.get(URL), 401)


def test_put_json_updates_the_name(auth_client, mailoutbox):
    response = auth_client.put(URL, {"name": "New Name"}, format="json")

    data = assert_envelope(response, 200, "update profile success!", notify=True)["data"]
    assert data["name"] == "New Name"
    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert user.name == "New Name" and user.email_verified
    assert mailoutbox == []


def test_put_multipart_updates_name_and_username(auth_client):
    response = auth_client.put(URL, {"name": "John Doe Updated", "username": "john_doe_updated"}, format="multipart")

    data = assert_envelope(response, 200, "update profile success!")["data"]
    assert (data["name"], data["username"]) == ("John Doe Updated", "john_doe_updated")
    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert (user.name, user.username) == ("John Doe Updated", "john_doe_updated")


def test_an_empty_put_changes_nothing(auth_client):
    before = auth_client.get(URL).json()["data"]

    assert assert_envelope(auth_client.put(URL, {}, format="json"), 200)["data"] == before


def test_the_own_username_may_change_case(auth_client):
    new = auth_client.user.username.upper()

    assert assert_envelope(auth_client.put(URL, {"username": new}, format="json"), 200)["data"]["username"] == new


@pytest.mark.parametrize("field", ["username", "email"])
def test_a_username_or_email_of_another_account_is_refused(auth_client, field):
    other = UserFactory(username="Taken_Name", email="taken@example.com")
    value = getattr(other, field).swapcase()

    response = auth_client.put(URL, {field: value}, format="json")

    assert_envelope(response, 400, "username or email already exists", notify=True, data=None)
    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert getattr(user, field) == getattr(auth_client.user, field)


def test_a_new_email_must_be_verified_again(auth_client, api_client, mailoutbox):
    response = auth_client.put(URL, {"email": "new.address@example.com"}, format="json")

    data = assert_envelope(response, 200, "update profile success!")["data"]
    assert data["email"] == "new.address@example.com" and data["email_verified"] is False
    assert otp_pending(email="new.address@example.com", purpose="verify-email")
    code = otp_mailed_to(mailoutbox, "new.address@example.com")
    assert_envelope(api_client.post(API + "verify-email", {"email": "new.address@example.com", "otp": code}), 200)
    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert user.email == "new.address@example.com" and user.email_verified


@pytest.mark.parametrize(
    "field, value",
    [("username", "no spaces"), ("username", "ab"), ("email", "nope"), ("name", ""), ("name", "x" * 151)],
)
def test_invalid_values_are_refused(auth_client, field, value):
    body = assert_envelope(auth_client.put(URL, {field: value}, format="json"), 400)

    assert list(body["errors"]) == [field]
    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert getattr(user, field) == getattr(auth_client.user, field)


def test_the_password_is_never_answered_nor_changed_here(auth_client):
    response = auth_client.put(URL, {"password": "Sneaky-Change-12"}, format="json")

    assert "password" not in assert_envelope(response, 200)["data"]
    assert get_user_model().objects.get(pk=auth_client.user.pk).check_password("Correct-Horse-42")
