"""Which language a page speaks: the signed-in person's stored choice, then the switcher's cookie,
then Accept-Language, then English. The API answers in English whatever the request asks for."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.services import INVALID_CREDENTIALS
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, response.content[:300]
    return match.group(1)


def test_a_page_speaks_indonesian_to_a_browser_asking_for_it(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200
    assert html_lang(response) == "id"
    assert response["Content-Language"] == "id"
    page = response.content.decode()
    assert "Lupa kata sandi?" in page and "Nama pengguna atau email" in page
    assert "Forgot your password?" not in page and "Username or email" not in page
    # The switcher names each language in itself, whatever the page speaks.
    assert 'lang="en" class="link-button" aria-pressed="false">English</button>' in page
    assert 'lang="id" class="link-button" aria-pressed="true">Bahasa Indonesia</button>' in page


def test_a_page_speaks_english_by_default(client):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}):
        response = client.get("/login/", **headers)

        assert html_lang(response) == "en" and response["Content-Language"] == "en"
        assert "Forgot your password?" in response.content.decode()


def test_the_switcher_sets_the_cookie_and_goes_back_to_the_page(client):
    response = client.post("/language/", {"language": "id", "next": "/register/"})

    assert response.status_code == 302 and response["Location"] == "/register/"
    assert response.cookies[COOKIE].value == "id"
    page = client.get("/register/", HTTP_ACCEPT_LANGUAGE="en")  # the cookie wins over the browser
    assert html_lang(page) == "id" and "Buat akunmu" in page.content.decode()


def test_the_switcher_does_not_follow_a_next_to_another_site(client):
    response = client.post("/language/", {"language": "id", "next": "https://evil.example/"})

    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_a_signed_in_persons_choice_is_stored_and_wins_over_the_browser(client):
    user = UserFactory()
    client.force_login(user)

    client.post("/language/", {"language": "id", "next": "/profile/"})

    user.refresh_from_db()
    assert user.language == "id"
    client.cookies.pop(COOKIE)  # another browser of theirs: only Accept-Language: en
    response = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response) == "id" and "Profilmu" in response.content.decode()


def test_an_unknown_language_is_ignored(client):
    user = UserFactory(language="en")
    client.force_login(user)

    response = client.post("/language/", {"language": "xx", "next": "/profile/"})

    assert response.status_code == 302
    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.language == "en"
    assert html_lang(client.get("/profile/")) == "en"
    assert client.get("/login/", HTTP_ACCEPT_LANGUAGE="xx-YY").status_code in (200, 302)


def test_the_api_stays_english_with_content_language_en(client):
    UserFactory(username="rina")

    response = client.post("/api/v1/login", {"username": "rina", "password": "not-her-password"},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 401
    assert response["Content-Language"] == "en"
    assert response.json()["message"] == "invalid username or password" == str(INVALID_CREDENTIALS)


def test_the_api_stays_english_for_a_person_who_chose_indonesian(client):
    user = UserFactory(language="id")
    client.force_login(user)  # a session cookie too: the API still ignores the stored choice
    client.cookies[COOKIE] = "id"

    response = client.post("/api/v1/login", {"username": user.username, "password": "wrong"},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="id")

    assert response["Content-Language"] == "en"
    assert response.json()["message"] == "invalid username or password"
    assert get_user_model().objects.get(pk=user.pk).language == "id"


def test_signing_in_keeps_the_pages_language_for_an_account_without_one(client):
    user = UserFactory(language="")
    client.post("/language/", {"language": "id", "next": "/login/"})

    client.post("/login/", {"identifier": user.username, "password": "irrelevant-wrong"})
    user.refresh_from_db()
    assert user.language == ""  # a failed sign-in stores nothing
    client.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD})

    user.refresh_from_db()
    assert user.language == "id"


def test_signing_in_keeps_a_stored_choice(client):
    user = UserFactory(language="en")

    client.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD}, HTTP_ACCEPT_LANGUAGE="id")

    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en">' in client.get("/profile/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
