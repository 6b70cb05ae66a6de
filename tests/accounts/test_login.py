"""POST /api/v1/login: username or email + password -> a new session's JWT pair."""

from datetime import timedelta

import pytest
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from tests.accounts.factories import InactiveUserFactory, UnverifiedUserFactory
from tests.accounts.support import API, assert_envelope, bearer
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = API + "login"


def test_login_by_username_answers_a_token_pair_of_a_new_session(api_client, user):
    response = api_client.post(URL, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json")

    data = assert_envelope(response, 200, "login success!", notify=True)["data"]
    assert set(data) == {"access_token", "refresh_token"}
    access, refresh = AccessToken(data["access_token"]), RefreshToken(data["refresh_token"])
    assert access["user_uuid"] == refresh["user_uuid"] == str(user.uuid)
    assert access["sid"] == refresh["sid"] and len(refresh["sid"]) >= 16
    assert timedelta(minutes=14) < timedelta(seconds=access["exp"] - access["iat"]) <= timedelta(minutes=15)
    assert timedelta(days=29) < timedelta(seconds=refresh["exp"] - refresh["iat"]) <= timedelta(days=30)
    me = api_client.get(API + "user", **bearer(data["access_token"]))
    assert assert_envelope(me, 200)["data"]["uuid"] == str(user.uuid)
    user.refresh_from_db()
    assert user.last_login is not None


@pytest.mark.parametrize("identifier", ["Mixed.Case", "MIXED.CASE", "mixed@example.com", "MiXeD@Example.COM"])
def test_login_accepts_the_username_or_the_email_in_any_case(api_client, identifier):
    UserFactory(username="Mixed.Case", email="mixed@example.com")

    response = api_client.post(URL, {"username": identifier, "password": DEFAULT_PASSWORD}, format="json")

    assert_envelope(response, 200, "login success!")


def test_login_accepts_an_email_field_instead_of_username(api_client, user):
    response = api_client.post(URL, {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    assert_envelope(response, 200, "login success!")


def test_each_login_is_a_new_session(api_client, user):
    body = {"username": user.username, "password": DEFAULT_PASSWORD}
    first = api_client.post(URL, body, format="json").json()["data"]
    second = api_client.post(URL, body, format="json").json()["data"]

    assert RefreshToken(first["refresh_token"])["sid"] != RefreshToken(second["refresh_token"])["sid"]


@pytest.mark.parametrize(
    "username, password",
    [("known", "Wrong-Password-1"), ("nobody", DEFAULT_PASSWORD), ("known", DEFAULT_PASSWORD.lower())],
    ids=["wrong-password", "unknown-user", "password-case"],
)
def test_wrong_credentials_get_one_answer(api_client, username, password):
    user = UserFactory(username="known")

    response = api_client.post(URL, {"username": username, "password": password}, format="json")

    assert_envelope(response, 401, "invalid username or password", notify=True, data=None)
    user.refresh_from_db()
    assert user.last_login is None


def test_an_unverified_email_is_refused_only_with_the_right_password(api_client):
    user = UnverifiedUserFactory()

    right = api_client.post(URL, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json")
    wrong = api_client.post(URL, {"username": user.username, "password": "Wrong-Password-1"}, format="json")

    assert_envelope(right, 403, "email not verified, please verify your email first", notify=True, data=None)
    assert_envelope(wrong, 401, "invalid username or password")


def test_an_inactive_account_cannot_log_in(api_client):
    user = InactiveUserFactory()

    response = api_client.post(URL, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json")

    assert_envelope(response, 401, "invalid username or password")


@pytest.mark.parametrize("body, field", [({"password": DEFAULT_PASSWORD}, "username"), ({"username": "x"}, "password")])
def test_missing_fields_are_a_400(api_client, body, field):
    response = api_client.post(URL, body, format="json")

    assert field in assert_envelope(response, 400)["errors"]


def test_login_ignores_a_stale_bearer_header(api_client, user):
    response = api_client.post(
        URL, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json", **bearer("not.a.token")
    )

    assert_envelope(response, 200, "login success!")


def test_login_only_takes_post(api_client):
    assert_envelope(api_client.get(URL), 405)
