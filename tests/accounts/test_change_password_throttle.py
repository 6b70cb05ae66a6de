"""Password changes are rate limited per user (THROTTLE_PASSWORD_CHANGE), on the API and the profile
page alike (the page's side is in tests/web/test_pages_profile.py), so a stolen access token or an open browser cannot be used to guess the current password."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.support import API, assert_envelope
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = API + "user/change-password"
NEW_PASSWORD = "Silver-Lantern-31"


@pytest.fixture
def two_a_minute(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_change": "2/min"}


def _change(client, previous):
    return client.put(URL, {"previous_password": previous, "new_password": NEW_PASSWORD}, format="json")


def test_the_api_refuses_a_third_try_within_the_minute_even_with_the_right_password(auth_client, two_a_minute):
    for guess in ("guess-one", "guess-two"):
        assert_envelope(_change(auth_client, guess), 400, "current password is incorrect")

    response = _change(auth_client, DEFAULT_PASSWORD)

    body = assert_envelope(response, 429, notify=True)
    assert re.fullmatch(r"too many requests, try again in \d+ seconds", body["message"])
    assert int(response["Retry-After"]) == body["data"]["retry_after"] > 0
    assert get_user_model().objects.get(pk=auth_client.user.pk).check_password(DEFAULT_PASSWORD)


def test_the_limit_is_per_user(auth_client, two_a_minute):
    from rest_framework.test import APIClient

    from accounts.services import token_pair_issue

    for guess in ("guess-one", "guess-two"):
        _change(auth_client, guess)
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_issue(user=UserFactory())['access_token']}")

    assert_envelope(_change(other, DEFAULT_PASSWORD), 200, "change password success!", notify=True)
    assert_envelope(auth_client.get(API + "user"), 200)  # reading the profile is not limited by it

