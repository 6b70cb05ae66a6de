"""Rate limits on login, register, send-otp, verify-email and reset-password: per client IP and
per account named in the body, answered with a 429 envelope and a retry hint."""

import re

import pytest

from tests.accounts.factories import UnverifiedUserFactory
from tests.accounts.support import API, assert_envelope
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 2
ENDPOINTS = {
    # scope: (path, body for account n)
    "login": ("login", lambda n: {"username": f"user_{n}", "password": "Wrong-Password-1"}),
    "register": ("register", lambda n: {"name": "N", "email": f"r{n}@example.com", "username": f"r_{n}",
                                        "password": "Blue-Falcon-93"}),
    "otp_send": ("send-otp", lambda n: {"email": f"s{n}@example.com"}),
    "otp_verify": ("verify-email", lambda n: {"email": f"v{n}@example.com", "otp": "123456"}),
    "otp_verify-reset": ("reset-password", lambda n: {"email": f"v{n}@example.com", "otp": "123456",
                                                      "new_password": "Blue-Falcon-93"}),
}


@pytest.fixture
def tight_rates(settings):
    settings.THROTTLE_RATES = settings.THROTTLE_RATES | {s: f"{LIMIT}/min" for s in ("login", "register", "otp_send",
                                                                                      "otp_verify")}
    settings.OTP_RESEND_SECONDS = 0  # the resend cooldown is tested in test_otp_send.py


def assert_throttled(response):
    body = assert_envelope(response, 429, notify=True)
    match = re.fullmatch(r"too many requests, try again in (\d+) seconds", body["message"])
    assert match, body["message"]
    assert 0 < int(match.group(1)) <= 60
    assert body["data"] == {"retry_after": int(match.group(1))}
    assert response["Retry-After"] == match.group(1)


@pytest.mark.parametrize("scope", ENDPOINTS)
def test_one_ip_is_limited_across_accounts(api_client, tight_rates, scope):
    path, body = ENDPOINTS[scope]
    for n in range(LIMIT):
        assert api_client.post(API + path, body(n), format="json").status_code != 429

    assert_throttled(api_client.post(API + path, body(LIMIT), format="json"))
    other_ip = api_client.post(API + path, body(LIMIT + 1), format="json", REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code != 429


@pytest.mark.parametrize("scope", ENDPOINTS)
def test_one_account_is_limited_across_ips(api_client, tight_rates, scope):
    path, body = ENDPOINTS[scope]
    for n in range(LIMIT):
        response = api_client.post(API + path, body(7), format="json", REMOTE_ADDR=f"10.0.1.{n}")
        assert response.status_code != 429

    assert_throttled(api_client.post(API + path, body(7), format="json", REMOTE_ADDR="10.0.1.99"))


def test_the_account_limit_ignores_case(api_client, tight_rates):
    for n, name in enumerate(["Target", "TARGET"]):
        api_client.post(API + "login", {"username": name, "password": "x"}, format="json", REMOTE_ADDR=f"10.0.2.{n}")

    assert_throttled(
        api_client.post(API + "login", {"username": "target", "password": "x"}, format="json", REMOTE_ADDR="10.0.2.9")
    )


def test_a_forged_forwarded_for_header_does_not_dodge_the_ip_limit(api_client, tight_rates):
    for n in range(LIMIT):
        api_client.post(API + "login", {"username": f"u{n}", "password": "x"}, format="json",
                        HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert_throttled(
        api_client.post(API + "login", {"username": "u9", "password": "x"}, format="json",
                        HTTP_X_FORWARDED_FOR="203.0.113.77")
    )


def test_a_throttled_login_is_refused_even_with_the_right_password(api_client, tight_rates):
    user = UnverifiedUserFactory(email_verified=True)
    for _ in range(LIMIT):
        api_client.post(API + "login", {"username": user.username, "password": "wrong"}, format="json")

    assert_throttled(
        api_client.post(API + "login", {"username": user.username, "password": DEFAULT_PASSWORD}, format="json")
    )


def test_default_rates_let_normal_use_through(api_client, user):
    for _ in range(3):
        response = api_client.post(API + "login", {"username": user.username, "password": DEFAULT_PASSWORD},
                                   format="json")
        assert_envelope(response, 200)
