"""A music service's refusal reads in the page's language (the API keeps its English message)."""

import pytest

from music.services import playlist_create

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def test_a_taken_playlist_name_is_said_in_indonesian_on_the_page(client, user):
    playlist_create(user=user, name="Sore")
    client.force_login(user)

    page = client.post("/playlists/", {"name": "Sore", "description": ""}, HTTP_ACCEPT_LANGUAGE="id")

    assert page.status_code == 400
    assert "Sudah ada playlist dengan nama ini." in page.content.decode()


def test_the_api_keeps_the_english_message(auth_client):
    playlist_create(user=auth_client.user, name="Sore")

    answer = auth_client.post(API + "playlists", {"name": "Sore"}, format="json", HTTP_ACCEPT_LANGUAGE="id")

    assert answer["Content-Language"] == "en"
    assert answer.json()["message"] == "a playlist with this name already exists"

