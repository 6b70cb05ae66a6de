"""A person's time zone: taken from the browser at sign-up and sign-in (when none is set yet),
editable through PUT user (the profile page: tests/web/test_pages_time_zone.py)."""

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.support import API, assert_envelope
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_put_user_sets_an_iana_time_zone_in_any_case(auth_client):
    data = assert_envelope(auth_client.put(f"{API}user", {"time_zone": "europe/paris"}, format="json"), 200)["data"]

    assert data["time_zone"] == "Europe/Paris"
    auth_client.user.refresh_from_db()
    assert auth_client.user.time_zone == "Europe/Paris"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "UTC+2", "", " "])
def test_an_unknown_time_zone_is_a_400(auth_client, zone):
    body = assert_envelope(auth_client.put(f"{API}user", {"time_zone": zone}, format="json"), 400)
    assert "time_zone" in body["errors"]
    auth_client.user.refresh_from_db()
    assert auth_client.user.time_zone == ""


def test_register_takes_the_time_zone_of_the_device(api_client, mailoutbox):
    body = {"name": "Ada", "email": "ada@example.com", "username": "ada", "password": "Analytical-Engine-1843",
            "time_zone": "Asia/Jakarta"}
    assert_envelope(api_client.post(f"{API}register", body, format="json"), 200)
    assert get_user_model().objects.get().time_zone == "Asia/Jakarta"


def test_signing_up_on_the_page_keeps_the_browsers_time_zone(client, mailoutbox):
    client.post("/register/", {"name": "Ada", "email": "ada@example.com", "username": "ada",
                               "password": "Analytical-Engine-1843", "password_confirm": "Analytical-Engine-1843",
                               "time_zone": "America/Sao_Paulo"})
    assert get_user_model().objects.get().time_zone == "America/Sao_Paulo"


def test_signing_in_adopts_the_browsers_zone_only_when_none_is_set(client):
    fresh = UserFactory()
    settled = UserFactory(time_zone="Europe/Lisbon")

    for user in (fresh, settled):
        client.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD, "time_zone": "Asia/Tokyo"})
        client.post("/logout/")

    fresh.refresh_from_db(), settled.refresh_from_db()
    assert (fresh.time_zone, settled.time_zone) == ("Asia/Tokyo", "Europe/Lisbon")


def test_a_made_up_browser_zone_is_ignored_at_sign_in(client, user):
    response = client.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD,
                                       "time_zone": "<script>"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == ""
