"""POST /api/v1/register: a new, unverified account and a verification code by email."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.support import API, USER_FIELDS, assert_envelope, otp_mailed_to, otp_stored
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = API + "register"
PASSWORD = "Blue-Falcon-93"


def _body(**overrides):
    return {"name": "John Doe", "email": "john@example.com", "username": "john_doe", "password": PASSWORD, **overrides}


def test_register_answers_the_new_user_and_mails_a_verification_code(api_client, mailoutbox):
    response = api_client.post(URL, _body(), format="json")

    data = assert_envelope(response, 200, "register success!", notify=True)["data"]
    assert set(data) == USER_FIELDS
    assert uuid.UUID(data["uuid"])
    assert data | {"uuid": None, "created_at": None} == {
        "uuid": None, "created_at": None, "name": "John Doe", "email": "john@example.com", "username": "john_doe",
        "profile_picture": "http://testserver/static/img/default-avatar.png", "file_id": "", "email_verified": False,
        "time_zone": "", "reminder_enabled": False, "reminder_time": None,
    }
    user = get_user_model().objects.get()
    assert str(user.uuid) == data["uuid"] and not user.email_verified
    assert user.password != PASSWORD and user.check_password(PASSWORD)
    assert [m.to for m in mailoutbox] == [["john@example.com"]]
    assert mailoutbox[0].alternatives[0][1] == "text/html"
    code = otp_mailed_to(mailoutbox, "john@example.com")
    assert code in mailoutbox[0].alternatives[0][0]
    stored = otp_stored("john@example.com", "verify-email")
    assert stored and code not in str(stored)  # only a keyed hash of the code is kept


def test_the_mailed_code_verifies_the_account_and_login_then_works(api_client, mailoutbox):
    api_client.post(URL, _body(), format="json")
    code = otp_mailed_to(mailoutbox, "john@example.com")

    assert_envelope(api_client.post(API + "login", {"username": "john_doe", "password": PASSWORD}), 403)
    assert_envelope(api_client.post(API + "verify-email", {"email": "john@example.com", "otp": code}), 200)
    tokens = assert_envelope(api_client.post(API + "login", {"username": "john_doe", "password": PASSWORD}), 200)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['data']['access_token']}")
    assert assert_envelope(api_client.get(API + "user"), 200)["data"]["email_verified"] is True


def test_register_keeps_the_email_case_but_lowercases_the_domain(api_client):
    response = api_client.post(URL, _body(email="John.Doe@EXAMPLE.com"), format="json")

    assert assert_envelope(response, 200)["data"]["email"] == "John.Doe@example.com"


@pytest.mark.parametrize(
    "existing, body",
    [
        ({"username": "John_Doe"}, {"username": "john_doe"}),
        ({"email": "JOHN@example.com"}, {"email": "john@EXAMPLE.COM"}),
        ({"username": "john_doe"}, {"username": "JOHN_DOE", "email": "other@example.com"}),
    ],
    ids=["username", "email", "username-upper"],
)
def test_a_taken_username_or_email_is_refused_whatever_the_case(api_client, mailoutbox, existing, body):
    UserFactory(**existing)

    response = api_client.post(URL, _body(**body), format="json")

    assert_envelope(response, 400, "username or email already exists", notify=True, data=None)
    assert get_user_model().objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    "field, value",
    [
        ("email", "not-an-email"),
        ("email", ""),
        ("username", "ab"),
        ("username", "a" * 31),
        ("username", "john doe"),
        ("username", "john@doe"),
        ("username", "jöhn_doe"),
        ("username", "john-doe"),
        ("name", ""),
        ("name", "x" * 151),
        ("password", ""),
    ],
)
def test_invalid_fields_are_refused_field_by_field(api_client, mailoutbox, field, value):
    response = api_client.post(URL, _body(**{field: value}), format="json")

    body = assert_envelope(response, 400, notify=True)
    assert list(body["errors"]) == [field]
    assert body["message"].startswith(f"{field}: ")
    assert not get_user_model().objects.exists()
    assert mailoutbox == []


def test_every_missing_field_is_reported(api_client):
    body = assert_envelope(api_client.post(URL, {}, format="json"), 400)

    assert set(body["errors"]) == {"name", "email", "username", "password"}


@pytest.mark.parametrize(
    "password",
    ["Sh0rt!", "password123", "839274610593", "JohnDoe!!", "john_doe1"],
    ids=["too-short", "common", "numeric", "like-the-name", "like-the-username"],
)
def test_django_password_validators_apply(api_client, mailoutbox, password):
    response = api_client.post(URL, _body(password=password), format="json")

    body = assert_envelope(response, 400, notify=True)
    assert list(body["errors"]) == ["password"]
    assert body["message"] == "password: " + body["errors"]["password"][0]
    assert not get_user_model().objects.exists()
    assert mailoutbox == []


def test_multipart_registration_works_too(api_client):
    response = api_client.post(URL, _body(), format="multipart")

    assert assert_envelope(response, 200, "register success!")["data"]["username"] == "john_doe"
