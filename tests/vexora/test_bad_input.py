"""Bad input is a 4xx, never a 500: NUL characters (PostgreSQL cannot store them) in a path, a
query string, a JSON body or a form, and JSON nested deeper than Python can parse."""

import json

import pytest

from tests.accounts.support import API, assert_envelope

pytestmark = pytest.mark.django_db

DEEP = "[" * 10_000 + "]" * 10_000


@pytest.mark.parametrize("path", [
    "spotify/search?search=a%00b",
    "spotify/search?search%00=a",
    "spotify/abc%00def",
    "history?mood=happy%00",
    "history?month=2026-01%00",
    "history/most-mood?x=%00",
])
def test_a_nul_character_in_a_path_or_query_is_a_400(auth_client, path):
    assert_envelope(auth_client.get(API + path), 400, "text must not contain NUL characters")


@pytest.mark.parametrize("path", ["/history/?month=%00", "/login/?next=/%00", "/playlists/%00/"])
def test_a_nul_character_on_a_page_is_a_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.parametrize("endpoint, body", [
    ("login", {"username": "a\x00b", "password": "x"}),
    ("register", {"name": "N", "email": "n@example.com", "username": "n\x00", "password": "Blue-Falcon-93"}),
    ("send-otp", {"email": "a\x00@example.com"}),
    ("refresh", {"refresh_token": "a\x00b"}),
    ("logout", {"refresh_token": "a\x00b"}),
    ("playlists", {"name": "x\x00y"}),
])
def test_a_nul_character_in_a_json_body_is_a_400(auth_client, endpoint, body):
    response = auth_client.post(API + endpoint, json.dumps(body), content_type="application/json")
    assert_envelope(response, 400)


@pytest.mark.parametrize("endpoint", ["login", "refresh", "logout", "register", "send-otp", "playlists"])
def test_json_nested_ten_thousand_deep_is_a_400(api_client, auth_client, endpoint):
    anonymous = api_client.post(API + endpoint, DEEP, content_type="application/json")
    signed_in = auth_client.post(API + endpoint, DEEP, content_type="application/json")

    assert_envelope(signed_in, 400, "malformed request body")
    if endpoint == "playlists":  # who asks is checked first
        assert_envelope(anonymous, 401)
    else:
        assert_envelope(anonymous, 400, "malformed request body")


def test_a_nul_character_in_a_multipart_field_is_a_400(auth_client):
    response = auth_client.put(API + "user", {"name": "a\x00b"}, format="multipart")
    assert_envelope(response, 400)
