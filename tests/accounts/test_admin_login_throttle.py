"""The Django admin's login has the API's rate limits: per client IP and per account, whichever
of the account's names (username or email) is typed."""

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def staff(settings):
    settings.THROTTLE_RATES = settings.THROTTLE_RATES | {"login": f"{LIMIT}/min"}
    return UserFactory(is_staff=True, is_superuser=True)


def _login(client, username, password, ip="10.9.0.1"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_wrong_passwords_are_limited_and_then_even_the_right_one_is_refused(client, staff):
    for _ in range(LIMIT):
        assert _login(client, staff.username, "wrong").status_code == 200  # the form again, with an error

    refused = _login(client, staff.username, DEFAULT_PASSWORD)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert b"Too many attempts" in refused.content
    assert "_auth_user_id" not in client.session


def test_username_and_email_share_one_bucket_across_ips(client, staff):
    for n in range(LIMIT):
        name = staff.username if n % 2 else staff.email.upper()
        _login(client, name, "wrong", ip=f"10.9.1.{n}")

    assert _login(client, staff.username, DEFAULT_PASSWORD, ip="10.9.1.99").status_code == 429


def test_normal_use_signs_in(client, staff):
    response = _login(client, staff.username, DEFAULT_PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/admin/"
